-- lib/ints.lua: exact integer helpers. Lua numbers are doubles: integers are exact up to 2^53, but cjson writes
-- only 14 significant digits and `/` rounds, so money goes through these.

-- A hash field or argument as an integer, absent = 0.
local function int_of(v)
  if v == false or v == nil or v == '' then return 0 end
  return tonumber(v)
end

-- An integer as a decimal string (never "1e+15"), for JSON payloads and hash fields.
local function int_str(n)
  return string.format('%d', n)
end

-- floor(a / b) for integers a >= 0, b > 0, exact (fmod is exact on doubles; the subtraction leaves a multiple of b).
local function floor_div(a, b)
  return (a - math.fmod(a, b)) / b
end

-- floor(x * num / den) for integers x >= 0, 0 <= num <= den, exact while x < 2^53: with x = a * den + b,
-- it is a * num + floor(b * num / den), and neither product can leave the exact range.
local function floor_mul_div(x, num, den)
  local b = math.fmod(x, den)
  return ((x - b) / den) * num + floor_div(b * num, den)
end
