using Spillway.Core.Failures;

namespace Spillway.Core.Tests.Failures;

public class FallbackPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static FailureClassification Failure(
        FailureClass failure, DateTimeOffset? retryAt = null, bool contextLength = false) =>
        new(failure, "test: " + failure, retryAt, CooldownScope.Key, contextLength);

    [Theory]
    [InlineData(FailureClass.ServerError)]
    [InlineData(FailureClass.ConnectionFailed)]
    public void Decide_ServerOrConnectionFailure_RetriesOnceThenMovesOn(FailureClass failure)
    {
        Assert.Equal(FallbackDecision.RetrySameStepNow, FallbackPolicy.Decide(Failure(failure), alreadyRetried: false));
        Assert.Equal(FallbackDecision.NextStep, FallbackPolicy.Decide(Failure(failure), alreadyRetried: true));
    }

    [Theory]
    [InlineData(FailureClass.ServerError)]
    [InlineData(FailureClass.ConnectionFailed)]
    public void Decide_AnswerThatMayHaveBeenBilled_MovesOnWithoutARetry(FailureClass failure)
    {
        Assert.Equal(FallbackDecision.NextStep, FallbackPolicy.Decide(Failure(failure), alreadyRetried: false, mayHaveBilled: true));
    }

    [Fact]
    public void Decide_ConnectionFailedNotRetryable_MovesOnAtOnce()
    {
        var refused = Failure(FailureClass.ConnectionFailed) with { Retryable = false };

        Assert.Equal(FallbackDecision.NextStep, FallbackPolicy.Decide(refused, alreadyRetried: false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Decide_CallerFault_Stops(bool alreadyRetried)
    {
        Assert.Equal(FallbackDecision.Stop, FallbackPolicy.Decide(Failure(FailureClass.CallerFault), alreadyRetried));
    }

    [Fact]
    public void Decide_CallerFaultContextLengthExceeded_MovesOn()
    {
        var failure = Failure(FailureClass.CallerFault, contextLength: true);

        Assert.Equal(FallbackDecision.NextStep, FallbackPolicy.Decide(failure, alreadyRetried: false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Decide_ContentRefused_Stops(bool alreadyRetried)
    {
        Assert.Equal(FallbackDecision.Stop, FallbackPolicy.Decide(Failure(FailureClass.ContentRefused), alreadyRetried));
    }

    [Theory]
    [InlineData(FailureClass.RateLimited)]
    [InlineData(FailureClass.QuotaExhausted)]
    [InlineData(FailureClass.Overloaded)]
    [InlineData(FailureClass.Timeout)]
    [InlineData(FailureClass.AuthFailed)]
    [InlineData(FailureClass.ModelUnavailable)]
    public void Decide_OtherClasses_MoveOnWithoutRetry(FailureClass failure)
    {
        Assert.Equal(FallbackDecision.NextStep, FallbackPolicy.Decide(Failure(failure), alreadyRetried: false));
        Assert.Equal(FallbackDecision.NextStep, FallbackPolicy.Decide(Failure(failure), alreadyRetried: true));
    }

    [Fact]
    public void Decide_EveryFailureClass_MatchesTheDesignTable()
    {
        var firstTry = new Dictionary<FailureClass, FallbackDecision>
        {
            [FailureClass.RateLimited] = FallbackDecision.NextStep,
            [FailureClass.QuotaExhausted] = FallbackDecision.NextStep,
            [FailureClass.Overloaded] = FallbackDecision.NextStep,
            [FailureClass.ServerError] = FallbackDecision.RetrySameStepNow,
            [FailureClass.ConnectionFailed] = FallbackDecision.RetrySameStepNow,
            [FailureClass.Timeout] = FallbackDecision.NextStep,
            [FailureClass.CallerFault] = FallbackDecision.Stop,
            [FailureClass.ContentRefused] = FallbackDecision.Stop,
            [FailureClass.AuthFailed] = FallbackDecision.NextStep,
            [FailureClass.ModelUnavailable] = FallbackDecision.NextStep,
            [FailureClass.Shutdown] = FallbackDecision.Stop,
        };

        // A class added to the enum must be placed in the table (src/Spillway.Core/README.md, "Failure classes") before this passes.
        Assert.Equal(Enum.GetValues<FailureClass>().Order(), firstTry.Keys.Order());
        foreach (var (failure, expected) in firstTry)
        {
            Assert.Equal(expected, FallbackPolicy.Decide(Failure(failure), alreadyRetried: false));
        }
    }

    [Fact]
    public void CooldownUntil_RateLimitedWithFutureRetryAt_UsesRetryAt()
    {
        var retryAt = Now.AddSeconds(17.5);

        Assert.Equal(retryAt, FallbackPolicy.CooldownUntil(Failure(FailureClass.RateLimited, retryAt), Now));
    }

    [Fact]
    public void CooldownUntil_RateLimitedWithoutRetryAt_SixtySeconds()
    {
        Assert.Equal(Now.AddSeconds(60), FallbackPolicy.CooldownUntil(Failure(FailureClass.RateLimited), Now));
    }

    [Theory]
    [InlineData(-30)]
    [InlineData(0)]
    public void CooldownUntil_RateLimitedRetryAtNotInFuture_SixtySeconds(int offsetSeconds)
    {
        var failure = Failure(FailureClass.RateLimited, Now.AddSeconds(offsetSeconds));

        Assert.Equal(Now.AddSeconds(60), FallbackPolicy.CooldownUntil(failure, Now));
    }

    [Fact]
    public void CooldownUntil_QuotaExhaustedWithoutRetryAt_OneHour()
    {
        Assert.Equal(Now.AddHours(1), FallbackPolicy.CooldownUntil(Failure(FailureClass.QuotaExhausted), Now));
    }

    [Fact]
    public void CooldownUntil_QuotaExhaustedWithRetryAt_UsesRetryAt()
    {
        var midnight = new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(midnight, FallbackPolicy.CooldownUntil(Failure(FailureClass.QuotaExhausted, midnight), Now));
    }

    [Fact]
    public void CooldownUntil_QuotaExhaustedRetryAtInPast_OneHour()
    {
        var failure = Failure(FailureClass.QuotaExhausted, Now.AddMinutes(-5));

        Assert.Equal(Now.AddHours(1), FallbackPolicy.CooldownUntil(failure, Now));
    }

    [Fact]
    public void CooldownUntil_AuthFailed_FirstRecheckInFiveMinutesWhateverRetryAt()
    {
        Assert.Equal(Now.AddMinutes(5), FallbackPolicy.CooldownUntil(Failure(FailureClass.AuthFailed), Now));
        Assert.Equal(Now.AddMinutes(5), FallbackPolicy.CooldownUntil(Failure(FailureClass.AuthFailed, Now.AddDays(400)), Now));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 15)]
    [InlineData(3, 45)]
    [InlineData(4, 135)]
    [InlineData(5, 360)]
    [InlineData(1000, 360)]
    public void RecheckRejectedKeyAfter_TriplesFromFiveMinutesUpToSixHours(int rejections, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), FallbackPolicy.RecheckRejectedKeyAfter(rejections));
    }

    [Fact]
    public void CooldownUntil_ModelUnavailable_TenMinutes()
    {
        Assert.Equal(Now.AddMinutes(10), FallbackPolicy.CooldownUntil(Failure(FailureClass.ModelUnavailable), Now));
    }

    [Theory]
    [InlineData(FailureClass.Overloaded)]
    [InlineData(FailureClass.ServerError)]
    [InlineData(FailureClass.ConnectionFailed)]
    [InlineData(FailureClass.Timeout)]
    [InlineData(FailureClass.CallerFault)]
    [InlineData(FailureClass.ContentRefused)]
    public void CooldownUntil_ClassesThatSayNothingAboutTheKey_Null(FailureClass failure)
    {
        Assert.Null(FallbackPolicy.CooldownUntil(Failure(failure), Now));
        Assert.Null(FallbackPolicy.CooldownUntil(Failure(failure, Now.AddMinutes(1)), Now));
    }
}
