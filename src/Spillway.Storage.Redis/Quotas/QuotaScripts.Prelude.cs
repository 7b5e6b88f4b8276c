namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// The pieces the quota scripts start with (see <see cref="QuotaScripts"/> for the keys and the state hash): the
/// scope's state and what writes it back (<c>State</c>), whether nothing bounds the scope (<c>Boundless</c>), and the
/// four windows with what reads and counts them (<c>Windows</c>).
/// </summary>
internal static partial class QuotaScripts
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
        local SUM = '#sum'
        local SLICE = 1000
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

        -- The tpm window's total is kept in its amounts hash (field SUM, which lives and expires with the amounts), so
        -- reading the window costs one field, not every call of the last minute: a key with a token limit at a few
        -- thousand calls a minute would otherwise spend milliseconds of Redis per admission. Pruning subtracts what
        -- leaves; a window written before the total was kept gets it summed once. Ids go in slices: Lua's unpack
        -- takes a few thousand values at most.
        local function prune(w)
          if w.pruned then return end
          w.pruned = true
          if w.i == 1 then
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - MIN)
            return
          end
          repeat
            local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - MIN, 'LIMIT', 0, SLICE)
            if #old > 0 then
              local got = redis.call('HMGET', KEYS[3], SUM, unpack(old))
              if got[1] then
                local gone = 0
                for j = 2, #got do gone = gone + (tonumber(got[j]) or 0) end
                w.sum = tonumber(got[1]) - gone
                redis.call('HSET', KEYS[3], SUM, w.sum)
              end
              redis.call('HDEL', KEYS[3], unpack(old))
              redis.call('ZREM', KEYS[2], unpack(old))
            end
          until #old < SLICE
        end

        local function entries(w)
          if w.list then return w.list end
          prune(w)
          local raw = redis.call('ZRANGE', w.key, 0, -1, 'WITHSCORES')
          local list = {}
          for j = 1, #raw, 2 do list[#list + 1] = {id = raw[j], at = tonumber(raw[j + 1]), amount = 1} end
          if w.i == 3 then
            for first = 1, #list, SLICE do
              local last = math.min(first + SLICE - 1, #list)
              local ids = {}
              for j = first, last do ids[#ids + 1] = list[j].id end
              local amounts = redis.call('HMGET', KEYS[3], unpack(ids))
              for j = first, last do list[j].amount = tonumber(amounts[j - first + 1]) or 0 end
            end
          end
          w.list = list
          return list
        end

        -- The tpm window's kept total (see prune), summed and kept from its entries when it is missing.
        local function tokenSum(w)
          if w.sum then return w.sum end
          prune(w)
          if w.sum then return w.sum end
          local kept = redis.call('HGET', KEYS[3], SUM)
          if kept then
            w.sum = tonumber(kept)
            return w.sum
          end
          local sum = 0
          for _, e in ipairs(entries(w)) do sum = sum + e.amount end
          w.sum = sum
          if #w.list > 0 then redis.call('HSET', KEYS[3], SUM, sum) end
          return sum
        end

        local function used(w)
          if w.used then return w.used end
          if w.i == 1 then
            prune(w)
            w.used = redis.call('ZCARD', w.key)
          else
            w.used = tokenSum(w)
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
            if w.i == 1 then
              -- Each rpm entry is one call: the one whose leaving makes room is found by its rank, not by reading all.
              local e = redis.call('ZRANGE', w.key, excess - 1, excess - 1, 'WITHSCORES')
              if #e == 2 then freed = tonumber(e[2]) + MIN end
            else
              for _, e in ipairs(entries(w)) do
                excess = excess - e.amount
                if excess <= 0 then
                  freed = e.at + MIN
                  break
                end
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
          if w.i == 1 then
            prune(w)
            local e = redis.call('ZRANGE', w.key, 0, 0, 'WITHSCORES')
            if #e == 2 then return tonumber(e[2]) + MIN end
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
              w.sum = tokenSum(w) + amount
              redis.call('HSET', KEYS[3], id, amount, SUM, w.sum)
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
}
