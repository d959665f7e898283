-- A number and its unit on one line: "209.62万元", "94.79%", "5000元/人", "285万条" are never
-- broken after the digits. Unicode's line breaking (browsers, typst) allows a break between a
-- digit and a Chinese character, so each such run is made unbreakable in the writer's own terms:
-- a nowrap span in HTML (page.css), a box in typst. Nothing is inserted into their text, so
-- search and copy find "209.62万元" as written.
--
-- A DOCX has no such term LibreOffice honours: perfdsl/render/numberunit.py joins the figures of
-- its text (word joiners and a run language), after pandoc. The units are read from
-- number-units.txt, the list the Python side reads too.

local HTML = FORMAT:match("html") ~= nil
local TYPST = FORMAT:match("typst") ~= nil

local CJK = "[\228-\233][\128-\191][\128-\191]" -- one character of the CJK Unified Ideographs block
local MAGNITUDE = { ["万"] = true, ["亿"] = true }
-- The units (number-units.txt, beside this filter: the list the table layout reads too).
local shared = dofile(pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE), "shared.lua" }))
local UNITS = {}
for _, unit in ipairs(shared.words("number-units.txt")) do
  UNITS[unit] = true
end

-- The end of the unit that starts at byte `i` of `s` (after the digits), or nil.
local function unit_end(s, i)
  local c = s:sub(i, i)
  if c == "%" then
    return i
  end
  if s:sub(i, i + 2) == "‰" or s:sub(i, i + 2) == "％" then
    return i + 2
  end
  local j = i - 1
  if MAGNITUDE[s:sub(i, i + 2)] then
    j = i + 2 -- 万, 亿: a unit of its own (285万) or the start of one (285万条)
  end
  local found = j >= i and j or nil
  for len = 3, 1, -1 do -- the longest unit first: 平方米 before 米
    local k = j + 3 * len
    if UNITS[s:sub(j + 1, k)] and s:find("^" .. string.rep(CJK, len), j + 1) then
      found = k
      break
    end
  end
  if found and s:sub(found + 1, found + 1) == "/" then
    for len = 3, 1, -1 do -- 元/人, 元/月, 元/人次: the longest unit after the slash
      local k = found + 1 + 3 * len
      if UNITS[s:sub(found + 2, k)] and s:find("^" .. string.rep(CJK, len), found + 2) then
        found = k
        break
      end
    end
  end
  if found and s:sub(found + 1, found + 1):find("%d") then
    return nil -- "05月10日": a date, not a quantity
  end
  return found
end

function Str(el)
  if not (HTML or TYPST) or not el.text:find("%d") then
    return nil
  end
  local s, out, pos, changed = el.text, pandoc.List(), 1, false
  local i = 1
  while i <= #s do
    local a, b = s:find("%d[%d.,]*", i)
    if not a then
      break
    end
    while b > a and s:sub(b, b):find("[.,]") do
      b = b - 1 -- "12." ends a sentence: the stop is not part of the number
    end
    local e = unit_end(s, b + 1)
    if e then
      if a > pos then
        out:insert(pandoc.Str(s:sub(pos, a - 1)))
      end
      out:extend(shared.unbreakable(s:sub(a, e)))
      pos, changed = e + 1, true
      i = e + 1
    else
      i = b + 1
    end
  end
  if not changed then
    return nil
  end
  if pos <= #s then
    out:insert(pandoc.Str(s:sub(pos)))
  end
  return out
end
