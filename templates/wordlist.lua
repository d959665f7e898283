-- A list of words kept beside the filters, one a line, "#" starting a comment (number-units.txt,
-- title-kinds.txt: the lists perfdsl's Python reads too). Loaded by a filter with
--   local wordlist = dofile(pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE), "wordlist.lua" }))
-- and called with the list's file name: its words, in the file's order.
return function(name)
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
  return words
end
