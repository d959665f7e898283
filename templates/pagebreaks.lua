-- Start 附件 and the 自评表 on a new page, as filed reports do.
local function starts_new_page(text)
  return text:find("^附件") or text:find("^项目支出绩效自评表")
end

function Header(el)
  if el.level == 1 and starts_new_page(pandoc.utils.stringify(el)) then
    if FORMAT:match("docx") then
      return { pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'), el }
    elseif FORMAT:match("typst") then
      return { pandoc.RawBlock("typst", "#pagebreak()"), el }
    end
  end
end
