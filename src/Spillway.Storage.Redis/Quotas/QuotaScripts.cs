namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// The Lua scripts behind <see cref="RedisQuotaStore"/>: each runs atomically in Redis, so instances never read a
/// window and write it back apart. They reproduce <c>KeyQuota</c> and <c>QuotaWindow</c> of Spillway.Core.KeyState.
/// Time is always the caller's (<c>now</c> in Unix milliseconds, from its <see cref="TimeProvider"/>), never Redis' own.
/// </summary>
/// <remarks>
/// <para>
/// KEYS of one scope, in this order: 1 rpm (sorted set: entry id by time), 2 tpm (sorted set), 3 tpm amounts (hash:
/// entry id → tokens, and the window's total as <c>#sum</c>), 4 the scope's state (one hash, below), 5 the index of scopes (sorted set by last use).
/// </para>
/// <para>
/// The state hash holds what every admission reads, so one HGETALL reads it and one HSET writes it back: per measure
/// <c>m</c> of rpm, rpd, tpm, tpd the stated remaining (<c>m.rem</c>, <c>m.until</c>, <c>m.id</c>) and the learned
/// limit (<c>m.limit</c>, <c>m.learned</c>: until when it holds); the day counters, one field per day named by the
/// day's reset (<c>rpd@RESET</c>, <c>tpd@RESET</c>, so a settlement is one <c>HINCRBY</c> with no script and a
/// late one never touches the next day); when the scope last touched the index (<c>touched</c>) and until when the
/// hash must live (<c>exp</c>, so its time to live is only set when that moves later). A figure past its time is
/// ignored, as an expired key was before. Redis runs a script's commands for about a microsecond each, and these
/// scripts are the hot path's only Redis work: a scope with nothing known costs two commands per admission.
/// </para>
/// <para>
/// The minute windows are sorted sets only while a limit or a statement bounds them (otherwise nothing reads them).
/// </para>
/// </remarks>
internal static partial class QuotaScripts
{
    /// <summary>
    /// Admits and reserves each of one or more calls in turn, or names the first window in a call's way. ARGV after the
    /// prelude's: 7 the scope's index entry, 8 how many calls, then for each call its tokens (-1: not estimated) and
    /// reservation id. Returns ten values per call, in order: {1, rpd reset, tpd reset, statement ids of rpm, rpd, tpm,
    /// tpd, tokens known until, kept mask, 1 when nothing bounds the scope (else 0)} or {0, measure index, needed,
    /// remaining, limit (-1), frees at, tokens known until, 0, 0, 0}.
    /// </summary>
    /// <remarks>Several calls in one script read the scope once: the instance sends the admissions that arrived while
    /// one was on its way together.</remarks>
    public const string Admit = State + Boundless + """
        local calls = tonumber(ARGV[8])
        local out = {}
        touchScope(ARGV[7])
        if boundless then
          local tokens = 0
          for c = 1, calls do
            local t = tonumber(ARGV[7 + 2 * c])
            if t > 0 then tokens = tokens + t end
            local base = #out
            out[base + 1] = 1
            out[base + 2] = nextReset
            out[base + 3] = nextReset
            for k = 4, 7 do out[base + k] = '' end
            out[base + 8] = 0
            out[base + 9] = 0
            out[base + 10] = 1
          end
          countDays(tokens, calls)
          finish()
          return out
        end

        """ + Windows + """
        local sids = {sidOf(W[1]), sidOf(W[2]), sidOf(W[3]), sidOf(W[4])}
        for c = 1, calls do
          local tokens = tonumber(ARGV[7 + 2 * c])
          local answer = nil
          for i = 1, 4 do
            local w = W[i]
            local counted = i >= 3
            if not (counted and tokens < 0) then
              local needed = 1
              if counted then needed = tokens end
              local r = remaining(w)
              if r and r < needed then
                answer = {0, i - 1, needed, r, w.limit or -1, freesAt(w, needed), tokensKnownUntil(), 0, 0, 0}
                break
              end
            end
          end
          if answer == nil then
            if tokens < 0 then tokens = 0 end
            countAll(tokens, ARGV[8 + 2 * c])
            answer = {1, W[2].reset, W[4].reset, sids[1], sids[2], sids[3], sids[4], tokensKnownUntil(), keptMask(), 0}
          end
          for k = 1, 10 do out[#out + 1] = answer[k] end
        end
        finish()
        return out
        """;

    /// <summary>Counts calls made without a reservation (or whose reservation asked nothing). ARGV after the prelude's: 7
    /// tokens, 8 an entry id, 9 the scope's index entry, 10 how many calls.</summary>
    public const string Record = State + Boundless + """
        local calls = tonumber(ARGV[10])
        if boundless then
          touchScope(ARGV[9])
          countDays(tonumber(ARGV[7]), calls)
          finish()
          return 1
        end

        """ + Windows + """
        touchScope(ARGV[9])
        countAll(tonumber(ARGV[7]), ARGV[8], calls)
        finish()
        return 1
        """;

    /// <summary>Takes a statement or a learned limit. ARGV after the prelude's: 7 measure index, 8 limit (-1), 9
    /// remaining (-1: none), 10 reset (-1: none), 11 the statement's id, 12 the scope's index entry, 13 the channel
    /// that hears when a scope nothing bounded becomes bounded (instances stop admitting it without asking).</summary>
    public const string Observe = State + Boundless + Windows + """
        touchScope(ARGV[12])
        local m = tonumber(ARGV[7]) + 1
        local f = F[m]
        local limit = tonumber(ARGV[8])
        local left = tonumber(ARGV[9])
        local resetAt = tonumber(ARGV[10])
        if limit > 0 then
          set(f.limit, limit)
          set(f.learned, now + LEARNED_TTL)
          keepUntil(now + LEARNED_TTL)
        end
        if left >= 0 then
          local untilAt
          if resetAt > now then
            untilAt = resetAt
          elseif f.day then
            untilAt = W[m].reset
          else
            untilAt = now + MIN
          end
          set(f.rem, left)
          set(f.untilAt, untilAt)
          set(f.id, ARGV[11])
          keepUntil(untilAt + MIN)
        end
        finish()
        if boundless and (limit > 0 or left >= 0) then redis.call('PUBLISH', ARGV[13], ARGV[12]) end
        return 1
        """;

    /// <summary>The four windows' limit, remaining and reset (-1: unknown), then until when token windows are known.</summary>
    public const string Figures = Prelude + """
        local out = {}
        for i = 1, 4 do
          local w = W[i]
          out[#out + 1] = w.limit or -1
          out[#out + 1] = remaining(w) or -1
          out[#out + 1] = resetAt(w)
        end
        out[#out + 1] = tokensKnownUntil()
        return out
        """;

    /// <summary>
    /// Corrects a reservation's tokens to the real usage where a plain <c>HINCRBY</c> of the day counter would not do:
    /// the tpm window kept the entry, or a statement counted it. KEYS: 1 tpm, 2 tpm amounts, 3 state. ARGV: 1 entry id,
    /// 2 held tokens, 3 real tokens, 4 the tpd reset it was counted under, 5 and 6 the tpm and tpd statement ids it was
    /// counted under, 7 the kept mask of its admission.
    /// </summary>
    public const string Settle = """
        local delta = tonumber(ARGV[3]) - tonumber(ARGV[2])
        if delta == 0 then return 0 end
        if tonumber(ARGV[7]) >= 2 and redis.call('ZSCORE', KEYS[1], ARGV[1]) then
          -- The window's kept total moves with the entry (see the prelude's prune).
          local sum = redis.call('HGET', KEYS[2], '#sum')
          if sum then
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3], '#sum', tonumber(sum) + delta)
          else
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
          end
        end
        local day = 'tpd@' .. ARGV[4]
        local d = redis.call('HMGET', KEYS[3], day, 'tpm.id', 'tpm.rem', 'tpd.id', 'tpd.rem')
        local put = {}
        if d[1] then
          local used = tonumber(d[1]) + delta
          if used < 0 then used = 0 end
          put[#put + 1] = day
          put[#put + 1] = used
        end
        -- Only the statement it was counted under: a newer one already says what is left.
        if ARGV[5] ~= '' and d[2] == ARGV[5] then
          put[#put + 1] = 'tpm.rem'
          put[#put + 1] = tonumber(d[3]) - delta
        end
        if ARGV[6] ~= '' and d[4] == ARGV[6] then
          put[#put + 1] = 'tpd.rem'
          put[#put + 1] = tonumber(d[5]) - delta
        end
        if #put > 0 then redis.call('HSET', KEYS[3], unpack(put)) end
        return 1
        """;

    /// <summary>
    /// Gives a reservation back. KEYS: the scope's first four. ARGV: 1 entry id, 2 tokens, 3 and 4 the rpd and tpd
    /// resets it was counted under (-1: the day counters keep it), 5–8 the statement ids it was counted under, 9 the
    /// kept mask of its admission.
    /// </summary>
    public const string Release = """
        local tokens = tonumber(ARGV[2])
        local kept = tonumber(ARGV[9])
        if kept % 2 == 1 then redis.call('ZREM', KEYS[1], ARGV[1]) end
        if kept >= 2 and redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then
          -- The window's kept total loses the entry's amount (see the prelude's prune).
          local got = redis.call('HMGET', KEYS[3], ARGV[1], '#sum')
          redis.call('HDEL', KEYS[3], ARGV[1])
          if got[2] then redis.call('HSET', KEYS[3], '#sum', tonumber(got[2]) - (tonumber(got[1]) or 0)) end
        end
        local days = {'rpd@' .. ARGV[3], 'tpd@' .. ARGV[4]}
        local d = redis.call('HMGET', KEYS[4], days[1], days[2],
          'rpm.id', 'rpm.rem', 'rpd.id', 'rpd.rem', 'tpm.id', 'tpm.rem', 'tpd.id', 'tpd.rem')
        local amounts = {1, 1, tokens, tokens}
        local put = {}
        for j = 1, 2 do
          local amount = amounts[2 * j]
          if amount > 0 and d[j] then
            local used = tonumber(d[j]) - amount
            if used < 0 then used = 0 end
            put[#put + 1] = days[j]
            put[#put + 1] = used
          end
        end
        local rems = {'rpm.rem', 'rpd.rem', 'tpm.rem', 'tpd.rem'}
        for i = 1, 4 do
          if amounts[i] > 0 and ARGV[4 + i] ~= '' and d[1 + 2 * i] == ARGV[4 + i] then
            put[#put + 1] = rems[i]
            put[#put + 1] = tonumber(d[2 + 2 * i]) + amounts[i]
          end
        end
        if #put > 0 then redis.call('HSET', KEYS[4], unpack(put)) end
        return 1
        """;
}
