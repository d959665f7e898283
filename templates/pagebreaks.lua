-- The annexes, laid out as filed reports lay them out (GB/T 9704 公文格式): 附件1 and the
-- 项目支出绩效自评表 each start on a new page; the annex number ("附件1") stands on its own line
-- at the left margin in 黑体, the title is centred under it, and a form's "（2024年度）" line is
-- centred under its title. In Markdown the annex is one heading, "# 附件1 某某绩效评价指标体系及综合评分表";
-- each writer gets the layout in its own terms: paragraph styles of reference.docx (Annex Number,
-- Table Title, Table Subtitle), functions of report.typ (annex-number, annex-title,
-- annex-subtitle), classes styled by page.css. The title stays a chapter in the document's
-- outline: outline level 1 in Word, a heading in typst and HTML.

local function annex_parts(header)
  local text = pandoc.utils.stringify(header)
  if header.level ~= 1 then
    return nil
  end
  if text:find("^项目支出绩效自评表") then
    return nil, header.content
  end
  local number = text:match("^(附件%d+)")
  if not number then
    return false
  end
  -- the title: the heading's inlines after the number and the space that follows it
  local content = pandoc.List(header.content)
  while #content > 0 and (content[1].t == "Space" or pandoc.utils.stringify(content[1]):find("^附件%d+$")) do
    content:remove(1)
  end
  return number, content
end

-- The kinds of document a title ends with (title-kinds.txt, beside this filter: the list
-- perfdsl/render/title.py reads too), the longer first. A title too long for one line breaks
-- before its kind, never inside a word.
local shared = dofile(pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE), "shared.lua" }))
local KINDS = shared.words("title-kinds.txt")

-- The title with its kind kept whole: a box in typst, a nowrap span in HTML (a DOCX gets a line
-- break where it needs one, from title.py). A title whose last piece of text does not end with a
-- kind is left as it is.
local function kind_kept_whole(title)
  local last = title[#title]
  if not (last and last.t == "Str") or not (FORMAT:match("typst") or FORMAT:match("html")) then
    return title
  end
  for _, kind in ipairs(KINDS) do
    if #last.text > #kind and last.text:sub(-#kind) == kind then
      local out = pandoc.List(title)
      out:remove(#out)
      out:insert(pandoc.Str(last.text:sub(1, -#kind - 1)))
      out:extend(shared.unbreakable(kind))
      return out
    end
  end
  return title
end

local function is_year_line(block)
  return block and block.t == "Para" and pandoc.utils.stringify(block):find("^（%d+年度）$") ~= nil
end

local function typst_call(name, inlines)
  local out = pandoc.List({ pandoc.RawInline("typst", "#" .. name .. "[") })
  out:extend(inlines)
  out:insert(pandoc.RawInline("typst", "]"))
  return pandoc.Plain(out)
end

local function layout(number, title, year)
  title = kind_kept_whole(title)
  local out = pandoc.List()
  if FORMAT:match("docx") then
    out:insert(pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'))
    if number then
      out:insert(pandoc.Div({ pandoc.Para({ pandoc.Str(number) }) }, { ["custom-style"] = "Annex Number" }))
    end
    out:insert(pandoc.Div({ pandoc.Para(title) }, { ["custom-style"] = "Table Title" }))
    if year then
      out:insert(pandoc.Div({ year }, { ["custom-style"] = "Table Subtitle" }))
    end
  elseif FORMAT:match("typst") then
    out:insert(pandoc.RawBlock("typst", "#pagebreak()"))
    if number then
      out:insert(typst_call("annex-number", { pandoc.Str(number) }))
    end
    out:insert(typst_call("annex-title", title))
    if year then
      out:insert(typst_call("annex-subtitle", year.content))
    end
  elseif FORMAT:match("html") then
    local parts = pandoc.List()
    if number then
      parts:insert(pandoc.Para({ pandoc.Span({ pandoc.Str(number) }, { class = "annex-number" }) }))
    end
    parts:insert(pandoc.Header(1, title, { class = "annex-title" }))
    if year then
      parts:insert(pandoc.Para({ pandoc.Span(year.content, { class = "annex-subtitle" }) }))
    end
    out:insert(pandoc.Div(parts, { class = "annex" }))
  else
    return nil
  end
  return out
end

function Blocks(blocks)
  local out = pandoc.List()
  local i = 1
  while i <= #blocks do
    local block = blocks[i]
    local number, title
    if block.t == "Header" then
      number, title = annex_parts(block)
    end
    local laid = nil
    if title then
      local year = is_year_line(blocks[i + 1]) and blocks[i + 1] or nil
      laid = layout(number, title, year)
      if laid and year then
        i = i + 1
      end
    end
    if laid then
      out:extend(laid)
    else
      out:insert(block)
    end
    i = i + 1
  end
  return out
end
