"""Markdown and HTML articles get exactly the fixes plain text gets, in their prose only.

Each artifact sentence is cleaned as plain text first; then it is put in a paragraph, a
heading, a list item, a block quote and link text of a Markdown and an HTML article, next
to code, URLs, front matter and markup carrying the same artifacts. The prose must get the
same rewrites, and everything else must come out byte-identical.
"""
import pytest

from cleaner.engine import Options, clean_text
from cleaner.formats import layout

# The articles are taken as translated from French, so that rules scoped to
# machine-translated text (the political "Western", "the Cold War") run too.
FROM_FRENCH = Options(settings={"source_language": "fr"})

# Artifacts of the seed articles, as the rules meet them inside a sentence.
SENTENCES = [
    "Senior diplomats americans Y russians met in Geneva on Monday.",
    "The message was meant for the western allies of Kyiv.",
    "Relations have never been so tense since the cold war.",
    "They were under Soviet rule: Lithuania , Latvia and Estonia.",
    "The talks took place in a threatening atmosphere with a gun pointed at Ukraine’s head.” .",
]


def _plain(rules, sentence):
    r = clean_text(sentence, rules, FROM_FRENCH)
    return r.cleaned, sorted((c.finding.rule, c.finding.before, c.finding.after) for c in r.changes)


def _fixes(result):
    return sorted((c.finding.rule, c.finding.before, c.finding.after) for c in result.changes)


MARKDOWN_PLACES = {
    "paragraph": "Intro paragraph.\n\n{s}\n",
    "heading": "## {s}\n\nBody.\n",
    "list item": "Points:\n\n- {s}\n- Second item.\n",
    "block quote": "> {s}\n",
    "link text": "See [{s}](https://example.com/a_b,c \"americans Y russians\")\n",
}
HTML_PLACES = {
    "paragraph": "<p>Intro paragraph.</p>\n<p>{s}</p>\n",
    "heading": "<h2 class=\"a , b\">{s}</h2>\n<p>Body.</p>\n",
    "list item": "<ul>\n<li>{s}</li>\n</ul>\n",
    "link text": "<p>See <a href=\"https://example.com/a , b\" title=\"americans Y russians\">{s}</a></p>\n",
}


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("place", MARKDOWN_PLACES)
def test_markdown_prose_gets_the_plain_text_fixes(rules, sentence, place):
    cleaned, fixes = _plain(rules, sentence)
    assert fixes, "each sample sentence carries an artifact"
    template = MARKDOWN_PLACES[place]
    r = clean_text(template.format(s=sentence), rules, FROM_FRENCH, fmt="markdown")
    assert r.cleaned == template.format(s=cleaned)
    assert _fixes(r) == fixes


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("place", HTML_PLACES)
def test_html_text_nodes_get_the_plain_text_fixes(rules, sentence, place):
    cleaned, fixes = _plain(rules, sentence)
    template = HTML_PLACES[place]
    r = clean_text(template.format(s=sentence), rules, FROM_FRENCH, fmt="html")
    assert r.cleaned == template.format(s=cleaned)
    assert _fixes(r) == fixes


def _code_markdown(s: str) -> str:
    return (
        "---\n"
        f"title: \"{s}\"\n"
        f"slug: americans-y-russians , cold war\n"
        f"description: {s}\n"
        "---\n\n"
        f"{s}\n\n"
        "```text\n"
        f"{s}\n"
        "Lithuania , Latvia and Estonia. the cold war\n"
        "```\n\n"
        f"    {s}\n\n"
        f"Inline `{s}` code, and <https://example.com/americans_Y_russians> and "
        f"[text](https://example.com/the_cold_war,x \"Lithuania , Latvia\").\n\n"
        f"<div class=\"note\">\n{s}\n</div>\n\n"
        f"[ref]: https://example.com/a \"{s}\"\n"
    )


@pytest.mark.parametrize("sentence", SENTENCES)
def test_markdown_code_urls_front_matter_and_markup_are_untouched(rules, sentence):
    cleaned, fixes = _plain(rules, sentence)
    text = _code_markdown(sentence)
    r = clean_text(text, rules, FROM_FRENCH, fmt="markdown")
    # Only the title and description values and the one paragraph are cleaned.
    title = "title: \"" + sentence + "\"\n"
    expected = text.replace(title, "title: \"" + cleaned + "\"\n", 1)
    expected = expected.replace("description: " + sentence + "\n", "description: " + cleaned + "\n", 1)
    expected = expected.replace("\n\n" + sentence + "\n\n", "\n\n" + cleaned + "\n\n", 1)
    assert r.cleaned == expected
    assert len(r.changes) == 3 * len(fixes)


def test_html_code_script_style_attributes_and_comments_are_untouched(rules):
    s = SENTENCES[0]
    text = (
        f"<html><head><title>{s}</title><style>/* {s} */ p , a {{}}</style></head>\n"
        f"<body><!-- {s} -->\n<p data-x=\"{s}\">{s} &amp; <code>{s}</code></p>\n"
        f"<pre>{s}\n  Lithuania , Latvia</pre><script>var s = \"{s}\";</script>\n</body></html>\n"
    )
    cleaned, _ = _plain(rules, s)
    r = clean_text(text, rules, FROM_FRENCH, fmt="html")
    expected = text.replace(f"<title>{s}</title>", f"<title>{cleaned}</title>").replace(f"\">{s} &amp;", f"\">{cleaned} &amp;")
    assert r.cleaned == expected


def test_offsets_in_reports_point_into_the_original_file(rules):
    text = "---\ntitle: Talks\n---\n\n# Heading\n\n- item `code , x` and Lithuania , Latvia\n"
    r = clean_text(text, rules, FROM_FRENCH, fmt="markdown")
    (change,) = r.changes
    assert text[change.start:change.end] == " " and text[change.start + 1] == ","
    assert (change.line, change.column) == (7, text.splitlines()[6].index(" , L") + 1)


def test_boilerplate_never_deletes_a_line_with_markup(rules):
    text = "Body text here.\n\n- Read also: [Something](https://example.com/x)\n\nRead also: Something else\n"
    plain = clean_text("Body text here.\n\nRead also: Something else\n", rules)
    r = clean_text(text, rules, FROM_FRENCH, fmt="markdown")
    assert "- Read also: [Something](https://example.com/x)" in r.cleaned
    assert ("Read also: Something else" in r.cleaned) == ("Read also: Something else" in plain.cleaned)


def test_markdown_layout_protects_exactly_the_markup():
    text = "# Title\n\nSome *emph* and `code` and [label](http://x.y/z).\n\n> quoted\n\n```\nfenced\n```\n"
    L = layout(text, "markdown")
    protected = "".join(text[s:e] for s, e in L.protected)
    assert protected == "# **`code`[](http://x.y/z)> ```\nfenced\n```"
    assert [text[s:e] for s, e in L.code] == ["```\nfenced\n```"]


def test_html_layout_protects_everything_but_text_nodes():
    text = "<p class='a'>Hello &amp; <b>bye</b></p><pre>x</pre>"
    L = layout(text, "html")
    free = []
    pos = 0
    for s, e in L.protected:
        free.append(text[pos:s])
        pos = e
    free.append(text[pos:])
    assert "".join(free) == "Hello  bye"


def test_crlf_markdown_keeps_offsets(rules):
    text = "Intro.\r\n\r\n- Lithuania , Latvia\r\n\r\n```\r\nLithuania , Latvia\r\n```\r\n"
    r = clean_text(text, rules, fmt="markdown", newline="\r\n")
    assert r.cleaned == text.replace("- Lithuania , Latvia", "- Lithuania, Latvia")


def test_markdown_table_cells_are_prose_and_pipes_are_markup(rules):
    text = "| Name | Role |\n|------|------|\n| Lithuania , Latvia | envoy |\n"
    r = clean_text(text, rules, FROM_FRENCH, fmt="markdown")
    assert r.cleaned == text.replace("Lithuania , Latvia", "Lithuania, Latvia")
    L = layout(text, "markdown")
    assert all(text[s:e].strip().startswith("|") for s, e in L.protected)


def test_toml_front_matter_keeps_all_but_title_and_description(rules):
    text = '+++\ntitle = "Lithuania , Latvia"\nslug = "lithuania , latvia"\ndescription = \'the talks , today\'\n+++\n\nBody.\n'
    r = clean_text(text, rules, FROM_FRENCH, fmt="markdown")
    assert r.cleaned == text.replace('title = "Lithuania , Latvia"', 'title = "Lithuania, Latvia"').replace(
        "'the talks , today'", "'the talks, today'"
    )


def test_template_tags_are_code(rules):
    md = 'Text {{< figure src="a , b.jpg" caption="Lithuania , Latvia" >}} and {% include x.html a="b , c" %}.\n'
    assert clean_text(md, rules, fmt="markdown").cleaned == md
    html = '<p>{{ page.title , x }} Lithuania , Latvia</p>\n'
    assert clean_text(html, rules, fmt="html").cleaned == html.replace("Lithuania , Latvia", "Lithuania, Latvia")
