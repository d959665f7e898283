-- A number and its unit on one line: "209.62万元", "94.79%", "5000元/人", "285万条" are never
-- broken after the digits. Unicode's line breaking (browsers, typst) allows a break between a
-- digit and a Chinese character, so each such run is made unbreakable in the writer's own terms:
-- a nowrap span in HTML (page.css), a box in typst. Nothing is inserted into their text, so
-- search and copy find "209.62万元" as written.
--
-- The DOCX has no such term. Breaks inside the digits themselves ("1⏎2345", "100.0⏎0%") are the
-- Western language's business (en-US in reference.docx, see scripts/make_reference_docx.py).
-- Between a number and a Chinese unit LibreOffice 7.4 breaks whatever the text says: its Chinese
-- line breaker, chosen by the language of the character at the break, consults only its own
-- forbidden-character lists, which a DOCX cannot set (measured at 30 line positions: U+2060,
-- U+FEFF, U+00A0, U+202F and U+200D all left the break). What holds: the number and its unit in
-- a run whose East Asian language is "zxx" (no linguistic content: the unit is part of a figure,
-- nothing to spell-check or to break by Chinese rules), which sends the break to the Unicode
-- line breaker, and WORD JOINERs (U+2060, invisible) between the digits and the unit's
-- characters, which that breaker keeps together. The run has the character style "Number With
-- Unit"; perfdsl.render.pandoc.keep_numbers_with_units gives it the language. Measured on 270
-- paragraphs that put a number and unit at every line position: splits in the body 13 → 0, in
-- table cells 19 → 5 (there LibreOffice still breaks some lines whatever the text says).
-- The cost: the DOCX text holds the joiners ("209.62⁠万⁠元"), so a search must type the figure
-- alone. A percentage needs none of this (no Chinese breaker starts a line with "%"): "94.79%"
-- stays as written. A comparison sign right before a figure ("≥36000人次", "≥95%") joins it.

local HTML = FORMAT:match("html") ~= nil
local TYPST = FORMAT:match("typst") ~= nil
local DOCX = FORMAT:match("docx") ~= nil
local WORD_JOINER = "\u{2060}"
local PERCENT = { ["%"] = true, ["％"] = true }

local CJK = "[\228-\233][\128-\191][\128-\191]" -- one character of the CJK Unified Ideographs block
local MAGNITUDE = { ["万"] = true, ["亿"] = true }
-- The units (number-units.txt, beside this filter: the list the table layout reads too).
local UNITS = {}
do
  local path = pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE), "number-units.txt" })
  local file = assert(io.open(path, "r"))
  for line in file:lines() do
    local unit = line:match("^%s*([^#%s]+)")
    if unit then
      UNITS[unit] = true
    end
  end
  file:close()
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
  if found and s:sub(found + 1, found + 1) == "/" and UNITS[s:sub(found + 2, found + 4)] then
    found = found + 4 -- 元/人, 元/月
  end
  if found and s:sub(found + 1, found + 1):find("%d") then
    return nil -- "05月10日": a date, not a quantity
  end
  return found
end

-- The length in bytes of the comparison sign right before byte `a` of `s` (0: none). LibreOffice's
-- Chinese line breaker would break between "≥" and the digits.
local COMPARISONS = { ">=", "<=", "＞＝", "＜＝", "≥", "≤", "＞", "＜", "＝", ">", "<", "=" } -- the longer first
local function comparison_before(s, a)
  for _, sign in ipairs(COMPARISONS) do
    if a > #sign and s:sub(a - #sign, a - 1) == sign then
      return #sign
    end
  end
  return 0
end

-- `digits` and `unit` as one unbreakable piece of the writer's output (nil: left as text), in a
-- DOCX with the comparison `sign` before them.
local function unbreakable(sign, digits, unit)
  if HTML then
    return pandoc.Span({ pandoc.Str(digits .. unit) }, { class = "nobr" })
  end
  if DOCX then
    local joined = (sign ~= "" and sign .. WORD_JOINER or "") .. digits
    if PERCENT[unit] then
      if sign == "" then
        return nil
      end
      joined = joined .. unit -- no breaker breaks before "%"
    else
      for _, code in utf8.codes(unit) do
        joined = joined .. WORD_JOINER .. utf8.char(code)
      end
    end
    return pandoc.Span({ pandoc.Str(joined) }, { ["custom-style"] = "Number With Unit" })
  end
  return { pandoc.RawInline("typst", "#box["), pandoc.Str(digits .. unit), pandoc.RawInline("typst", "]") }
end

function Str(el)
  if not (HTML or TYPST or DOCX) or not el.text:find("%d") then
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
    local sign = 0
    if DOCX and e then
      sign = comparison_before(s, a) -- "≥36000人次": the sign stays with the figure too
    end
    local u = e and unbreakable(s:sub(a - sign, a - 1), s:sub(a, b), s:sub(b + 1, e))
    a = a - sign
    if u then
      if a > pos then
        out:insert(pandoc.Str(s:sub(pos, a - 1)))
      end
      if u.t then out:insert(u) else out:extend(u) end
      pos, changed = e + 1, true
      i = e + 1
    else
      i = (e or b) + 1
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
