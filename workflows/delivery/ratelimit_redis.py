"""The rate limiter on Redis: one Lua script per reservation, Redis's own clock for every process."""
from __future__ import annotations

from typing import Any

from workflows.delivery.ratelimit import Reservation, Rule

PREFIX = "otklik:rate:"

# KEYS[1] shared key, KEYS[2] optional own key; ARGV: shared interval, own interval, max wait.
# Numbers travel as strings: Redis would truncate a Lua float reply to an integer.
RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
if #KEYS > 1 then
  local own = tonumber(redis.call('GET', KEYS[2]) or '0')
  if own > now then return {0, tostring(own - now)} end
end
local shared = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, shared)
if slot - now > tonumber(ARGV[3]) then return {0, tostring(slot - now)} end
local next_shared = slot + tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(next_shared), 'EX', math.ceil(next_shared - now) + 60)
if #KEYS > 1 then
  local next_own = slot + tonumber(ARGV[2])
  redis.call('SET', KEYS[2], tostring(next_own), 'EX', math.ceil(next_own - now) + 60)
end
return {1, tostring(slot - now)}
"""

PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local until_ = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > current then
  redis.call('SET', KEYS[1], tostring(until_), 'EX', math.ceil(until_ - now) + 60)
end
return 1
"""


class RedisLimiter:
    def __init__(self, url: str) -> None:
        import redis

        self.client: Any = redis.Redis.from_url(url)
        self._reserve = self.client.register_script(RESERVE)
        self._pause = self.client.register_script(PAUSE)

    def reserve(self, shared: Rule, own: Rule | None, max_wait: float) -> Reservation:
        keys = [PREFIX + shared.key] + ([PREFIX + own.key] if own else [])
        own_interval = own.interval if own else 0.0
        granted, wait = self._reserve(keys=keys, args=[repr(shared.interval), repr(own_interval), repr(max_wait)])
        return Reservation(bool(int(granted)), max(0.0, float(wait)))

    def pause(self, key: str, seconds: float) -> None:
        self._pause(keys=[PREFIX + key], args=[repr(float(seconds))])
