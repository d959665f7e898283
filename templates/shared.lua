-- What the filters share (numbers.lua, pagebreaks.lua). Loaded by a filter with
--   local shared = dofile(pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE), "shared.lua" }))
local shared = {}

-- A list of words kept beside the filters, one a line, "#" starting a comment (number-units.txt,
-- title-kinds.txt): the longer first, as perfdsl's Python reads them (resources.template_words).
function shared.words(name)
  local path = pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE), name })
  local file = assert(io.open(path, "r"))
  local words = {}
  for line in file:lines() do
    local word = line:match("^%s*([^#%s]+)")
    if word then
      table.insert(words, word)
    end
  end
  file:close()
  table.sort(words, function(a, b)
    return #a > #b or (#a == #b and a < b)
  end)
  return words
end

-- `text` as one piece the writer never breaks across lines: a nowrap span in HTML (page.css), a
-- box in typst; the inlines to put in its place.
function shared.unbreakable(text)
  if FORMAT:match("html") then
    return pandoc.List({ pandoc.Span({ pandoc.Str(text) }, { class = "nobr" }) })
  end
  return pandoc.List({ pandoc.RawInline("typst", "#box["), pandoc.Str(text), pandoc.RawInline("typst", "]") })
end

return shared
