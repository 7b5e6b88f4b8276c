namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// The Lua scripts behind <see cref="RedisQuotaStore"/>: each runs atomically in Redis, so instances never read a
/// window and write it back apart. They reproduce <c>KeyQuota</c> and <c>QuotaWindow</c> of Spillway.Core.KeyState.
/// Time is always the caller's (<c>now</c> in Unix milliseconds, from its <see cref="TimeProvider"/>), never Redis' own.
/// </summary>
/// <remarks>
/// <para>
/// KEYS of one scope, in this order: 1 rpm (sorted set: entry id by time), 2 tpm (sorted set), 3 tpm amounts (hash:
/// entry id → tokens), 4 the scope's state (one hash, below), 5 the index of scopes (sorted set by last use).
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
internal static class QuotaScripts
{
    /// <summary>Loads the scope's state. ARGV: 1 now, 2 the next day reset for the scope's rule, 3–6 the configured
    /// limits (-1: none).</summary>
    private const string State = """
        local now = tonumber(ARGV[1])
        local nextReset = tonumber(ARGV[2])
        local MIN = 60000
        local MINUTE_TTL = 65000
        local DAY_MARGIN = 3600000
        local LEARNED_TTL = 86400000
        local TOUCH_EVERY = 60000
        -- Field names as constants: Lua interns every string it builds, so joining them on each call costs more. A
        -- window with a day field is a day window.
        local F = {
          {limit = 'rpm.limit', learned = 'rpm.learned', rem = 'rpm.rem', untilAt = 'rpm.until', id = 'rpm.id'},
          {limit = 'rpd.limit', learned = 'rpd.learned', rem = 'rpd.rem', untilAt = 'rpd.until', id = 'rpd.id', day = 'rpd@'},
          {limit = 'tpm.limit', learned = 'tpm.learned', rem = 'tpm.rem', untilAt = 'tpm.until', id = 'tpm.id'},
          {limit = 'tpd.limit', learned = 'tpd.learned', rem = 'tpd.rem', untilAt = 'tpd.until', id = 'tpd.id', day = 'tpd@'},
        }
        local S = {}
        do
          local raw = redis.call('HGETALL', KEYS[4])
          for j = 1, #raw, 2 do S[raw[j]] = raw[j + 1] end
        end
        local put = {}
        local putAny = false
        local function set(field, value)
          put[field] = value
          putAny = true
        end
        local expiresAt = tonumber(S.exp) or 0
        local function keepUntil(at)
          if at > expiresAt then expiresAt = at end
        end

        -- The index of scopes orders them by last use for the admin API and drops those idle for a day when a new
        -- one joins: a minute's precision is enough, so a busy scope writes it once a minute, not on every call.
        local function touchScope(scope)
          local touched = tonumber(S.touched)
          if touched and touched <= now and now - touched < TOUCH_EVERY then return end
          if redis.call('ZADD', KEYS[5], now, scope) == 1 then
            redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - LEARNED_TTL)
          end
          redis.call('PEXPIRE', KEYS[5], LEARNED_TTL)
          set('touched', now)
          keepUntil(now + TOUCH_EVERY)
        end

        -- Writes what changed in one HSET; the hash's time to live only moves when it must live longer.
        local function finish()
          local longer = expiresAt > (tonumber(S.exp) or 0)
          if longer then set('exp', expiresAt) end
          if putAny then
            local args = {}
            for field, value in pairs(put) do
              args[#args + 1] = field
              args[#args + 1] = value
            end
            redis.call('HSET', KEYS[4], unpack(args))
          end
          if longer then redis.call('PEXPIRE', KEYS[4], expiresAt - now) end
        end

        -- A new day's first count removes the fields of days past.
        local function dropPastDays(day, current)
          local past = {}
          for field in pairs(S) do
            if string.sub(field, 1, 4) == day and field ~= current then past[#past + 1] = field end
          end
          if #past > 0 then redis.call('HDEL', KEYS[4], unpack(past)) end
        end

        """;

    /// <summary>The scope's four windows as the prelude's <c>W</c>, and what reads and counts them.</summary>
    private const string Windows = """
        local W = {}
        for i = 1, 4 do
          local f = F[i]
          local w = {i = i, f = f}
          local learnedUntil = S[f.learned]
          if learnedUntil and tonumber(learnedUntil) > now then
            w.limit = tonumber(S[f.limit])
            w.learnedUntil = tonumber(learnedUntil)
          else
            local configured = tonumber(ARGV[2 + i])
            if configured >= 0 then w.limit = configured end
          end
          local untilAt = S[f.untilAt]
          if untilAt and tonumber(untilAt) > now then
            w.stated = tonumber(S[f.rem])
            w.untilAt = tonumber(untilAt)
            w.sid = S[f.id]
          end
          -- A day counter is the field named by its window's reset: a settlement adds to it without a script, and a
          -- new day starts a new field.
          if f.day then
            w.field = f.day .. ARGV[2]
            local counted = S[w.field]
            w.fresh = counted == nil
            w.used = tonumber(counted) or 0
            if w.used < 0 then w.used = 0 end
            w.reset = nextReset
          end
          W[i] = w
        end
        W[1].key = KEYS[1]
        W[3].key = KEYS[2]

        local function prune(w)
          if w.pruned then return end
          w.pruned = true
          if w.i == 1 then
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - MIN)
            return
          end
          local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - MIN)
          if #old > 0 then
            redis.call('HDEL', KEYS[3], unpack(old))
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - MIN)
          end
        end

        local function entries(w)
          if w.list then return w.list end
          prune(w)
          local raw = redis.call('ZRANGE', w.key, 0, -1, 'WITHSCORES')
          local list = {}
          local amounts
          if w.i == 3 and #raw > 0 then
            local ids = {}
            for j = 1, #raw, 2 do ids[#ids + 1] = raw[j] end
            amounts = redis.call('HMGET', KEYS[3], unpack(ids))
          end
          for j = 1, #raw, 2 do
            local amount = 1
            if amounts then amount = tonumber(amounts[(j + 1) / 2]) or 0 end
            list[#list + 1] = {at = tonumber(raw[j + 1]), amount = amount}
          end
          w.list = list
          return list
        end

        local function used(w)
          if w.used then return w.used end
          if w.i == 1 then
            prune(w)
            w.used = redis.call('ZCARD', w.key)
          else
            local sum = 0
            for _, e in ipairs(entries(w)) do sum = sum + e.amount end
            w.used = sum
          end
          return w.used
        end

        local function known(w) return w.limit ~= nil or w.stated ~= nil end

        local function remaining(w)
          local r = nil
          if w.limit then r = w.limit - used(w) end
          if w.stated and (r == nil or w.stated < r) then r = w.stated end
          if r and r < 0 then r = 0 end
          return r
        end

        local function freesAt(w, needed)
          local at = now
          if w.stated and w.stated < needed then at = w.untilAt end
          if not w.limit or w.limit - used(w) >= needed then return at end
          local freed
          if w.f.day then
            freed = w.reset
          else
            local excess = used(w) + needed - w.limit
            freed = now + MIN
            for _, e in ipairs(entries(w)) do
              excess = excess - e.amount
              if excess <= 0 then
                freed = e.at + MIN
                break
              end
            end
          end
          if freed > at then return freed end
          return at
        end

        local function resetAt(w)
          if w.stated then return w.untilAt end
          if w.f.day then
            if used(w) > 0 then return w.reset end
            return -1
          end
          for _, e in ipairs(entries(w)) do
            if e.amount > 0 then return e.at + MIN end
          end
          return -1
        end

        local function add(w, amount, id)
          if w.f.day then
            w.used = used(w) + amount
            set(w.field, w.used)
            keepUntil(w.reset + DAY_MARGIN)
            if w.fresh then
              w.fresh = false
              dropPastDays(w.f.day, w.field)
            end
          elseif known(w) then
            prune(w)
            redis.call('ZADD', w.key, now, id)
            redis.call('PEXPIRE', w.key, MINUTE_TTL)
            if w.i == 3 then
              redis.call('HSET', KEYS[3], id, amount)
              redis.call('PEXPIRE', KEYS[3], MINUTE_TTL)
            end
            w.used = nil
            w.list = nil
          end
          if w.stated and amount ~= 0 then
            w.stated = w.stated - amount
            set(w.f.rem, w.stated)
          end
        end

        -- Counts calls (one unless given) and their tokens in every window; each call is its own rpm entry.
        local function countAll(tokens, id, calls)
          calls = calls or 1
          if calls == 1 then
            add(W[1], 1, id)
          else
            for k = 1, calls do add(W[1], 1, id .. ':' .. k) end
          end
          add(W[2], calls, id)
          add(W[3], tokens, id)
          add(W[4], tokens, id)
        end

        -- Which minute windows keep their calls as sorted-set entries (1 rpm, 2 tpm): a release or settlement
        -- touches only those.
        local function keptMask()
          local mask = 0
          if known(W[1]) then mask = mask + 1 end
          if known(W[3]) then mask = mask + 2 end
          return mask
        end

        local function tokensKnownUntil()
          local untilAt = 0
          for _, i in ipairs({3, 4}) do
            local w = W[i]
            if w.learnedUntil and w.learnedUntil > untilAt then untilAt = w.learnedUntil end
            if w.stated and w.untilAt > untilAt then untilAt = w.untilAt end
          end
          return untilAt
        end

        local function sidOf(w)
          if w.stated then return w.sid end
          return ''
        end

        """;

    /// <summary>
    /// Whether nothing bounds any of the scope's windows (<c>boundless</c>): no configured or learned limit, no
    /// statement in force. Then every call passes and only the day counters count, which <c>countDays</c> does alone,
    /// so an admission or record skips building the windows (and the functions over them): in Redis that is most of
    /// such a script's cost.
    /// </summary>
    private const string Boundless = """
        local boundless = true
        for i = 1, 4 do
          local f = F[i]
          if tonumber(ARGV[2 + i]) >= 0 or (tonumber(S[f.learned]) or 0) > now or (tonumber(S[f.untilAt]) or 0) > now then
            boundless = false
            break
          end
        end

        -- What countAll below does when nothing bounds the windows: the day counters only.
        local function countDays(tokens, calls)
          for i = 2, 4, 2 do
            local day = F[i].day
            local field = day .. ARGV[2]
            local counted = S[field]
            local used = tonumber(counted) or 0
            if used < 0 then used = 0 end
            local amount = calls or 1
            if i == 4 then amount = tokens end
            set(field, used + amount)
            if counted == nil then dropPastDays(day, field) end
          end
          keepUntil(nextReset + DAY_MARGIN)
        end

        """;

    /// <summary>The state and the windows: what every script over the windows starts with.</summary>
    private const string Prelude = State + Windows;

    /// <summary>
    /// Admits and reserves, or names the first window in the way. ARGV after the prelude's: 7 tokens (-1: not
    /// estimated), 8 the reservation id, 9 the scope's index entry. Returns {1, rpd reset, tpd reset, statement ids of
    /// rpm, rpd, tpm, tpd, tokens known until, kept mask, 1 when nothing bounds the scope (else 0)} or {0, measure
    /// index, needed, remaining, limit (-1), frees at, tokens known until}.
    /// </summary>
    public const string Admit = State + Boundless + """
        if boundless then
          local tokens = tonumber(ARGV[7])
          if tokens < 0 then tokens = 0 end
          touchScope(ARGV[9])
          countDays(tokens)
          finish()
          return {1, nextReset, nextReset, '', '', '', '', 0, 0, 1}
        end

        """ + Windows + """
        local tokens = tonumber(ARGV[7])
        touchScope(ARGV[9])
        for i = 1, 4 do
          local w = W[i]
          local counted = i >= 3
          if not (counted and tokens < 0) then
            local needed = 1
            if counted then needed = tokens end
            local r = remaining(w)
            if r and r < needed then
              finish()
              return {0, i - 1, needed, r, w.limit or -1, freesAt(w, needed), tokensKnownUntil()}
            end
          end
        end
        local sids = {sidOf(W[1]), sidOf(W[2]), sidOf(W[3]), sidOf(W[4])}
        if tokens < 0 then tokens = 0 end
        countAll(tokens, ARGV[8])
        finish()
        return {1, W[2].reset, W[4].reset, sids[1], sids[2], sids[3], sids[4], tokensKnownUntil(), keptMask(), 0}
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
          redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
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
        if kept >= 2 then
          redis.call('ZREM', KEYS[2], ARGV[1])
          redis.call('HDEL', KEYS[3], ARGV[1])
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
