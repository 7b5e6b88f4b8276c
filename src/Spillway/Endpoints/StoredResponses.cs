using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.Responses;
using Spillway.Core.Ledger;
using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>
/// The Responses API's stored responses at the door: a follow-up naming <c>previous_response_id</c> is decoded with
/// the stored conversation before it, and an answer to a request with <c>store</c> on is kept as the client got it
/// (<see cref="ResponsesCapture"/>), before its last bytes are sent. A response belongs to the client that made it;
/// one older than <c>ledger.responses_retention_days</c> is gone, swept or not.
/// </summary>
internal sealed partial class StoredResponses(IResponseStore store, ConfigHolder configs, TimeProvider time, ILogger<StoredResponses> logger)
{
    /// <summary>The store key of a client: its id, or the one shared by loopback callers when no keys are configured.</summary>
    public static string KeyOf(string? clientId) => clientId ?? IResponseStore.LoopbackClient;

    /// <summary>What a client is told while the store cannot be reached.</summary>
    public static ChatError Unavailable { get; } = new(
        503, ChatErrorKind.Overloaded, "Stored responses cannot be reached right now; try again, or send the whole conversation in input.");

    /// <summary>
    /// The stored response <paramref name="id"/> of the client, or null (never kept, deleted, another client's,
    /// expired); <see cref="Unavailable"/> (logged) when the store fails.
    /// </summary>
    public async Task<(StoredResponse? Found, ChatError? Error)> FindAsync(string id, string? clientId, CancellationToken cancellationToken)
    {
        try
        {
            return (await store.FindAsync(id, KeyOf(clientId), NotBefore(), cancellationToken), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ReadFailed(logger, e);
            return (null, Unavailable);
        }
    }

    /// <summary>True when the client's response <paramref name="id"/> was deleted; <see cref="Unavailable"/> (logged) when the store fails.</summary>
    public async Task<(bool Deleted, ChatError? Error)> DeleteAsync(string id, string? clientId, CancellationToken cancellationToken)
    {
        try
        {
            return (await store.DeleteAsync(id, KeyOf(clientId), cancellationToken), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ReadFailed(logger, e);
            return (false, Unavailable);
        }
    }

    /// <summary>
    /// The follow-up <paramref name="request"/> (its <see cref="ResponsesTurn.PreviousResponseId"/> set) decoded after
    /// the conversation it continues, or refused: 400 <c>previous_response_not_found</c> when there is none to continue.
    /// </summary>
    public async Task<ClientRequest> ResolveAsync(ClientRequest request, ReadOnlyMemory<byte> body, string? clientId, CancellationToken cancellationToken)
    {
        var turn = request.Turn!;
        var id = turn.PreviousResponseId!;
        var (previous, failed) = await FindAsync(id, clientId, cancellationToken);
        if (failed is not null)
        {
            return ClientRequest.Refused(failed) with { Model = request.Model };
        }

        if (previous is null)
        {
            return ClientRequest.Refused(ResponsesConversation.PreviousNotFound(id)) with { Model = request.Model };
        }

        var history = ResponsesConversation.History(previous);
        var decoded = ResponsesRequestDecoder.Decode(body, history);
        if (decoded.Error is { } error)
        {
            return ClientRequest.Refused(error) with { Model = request.Model };
        }

        return request with
        {
            Decoded = decoded.Value.Chat,
            Turn = turn with { History = history },
            PassThroughBody = ResponsesConversation.SplicedBody(history, body),
        };
    }

    /// <summary>
    /// The client's response seen through a <see cref="ResponsesCapture"/> that keeps the answer to the request
    /// <paramref name="body"/> of <paramref name="turn"/>; <paramref name="body"/> must stay valid while it is used.
    /// </summary>
    public ResponsesCapture Capture(IClientResponse response, ResponsesTurn turn, ReadOnlyMemory<byte> body, string? clientId)
    {
        var key = KeyOf(clientId);
        return new ResponsesCapture(response, async answer =>
        {
            try
            {
                if (ResponsesConversation.IdOf(answer.Span) is not { } id)
                {
                    return;
                }

                var input = ResponsesConversation.InputItems(turn.History.Span, body);

                // Not the client's token: an answer the client was sent is kept even when it hangs up as it arrives.
                await store.SaveAsync(new StoredResponse(id, key, time.GetUtcNow(), answer.ToArray(), input), CancellationToken.None);
            }
            catch (Exception e)
            {
                // The answer still reaches the client; only a follow-up naming it will not find it.
                Log.SaveFailed(logger, e);
            }
        });
    }

    private DateTimeOffset NotBefore() =>
        configs.Current.Ledger.ResponsesRetention is { } retention ? time.GetUtcNow() - retention : DateTimeOffset.MinValue;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Stored responses: an answer could not be kept; a follow-up naming it will not find it")]
        public static partial void SaveFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Stored responses: the store could not be read or changed")]
        public static partial void ReadFailed(ILogger logger, Exception exception);
    }
}
