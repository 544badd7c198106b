"""Pack validation: every kind of broken pack is refused with file, line and rule id."""
import pytest

from cleaner.packs import PackError, load_pack, load_rules

GOOD_RULE = """\
  - id: house/kyiv
    kind: pattern
    category: other
    level: fix
    message: House style is Kyiv
    pattern: '\\bKiev\\b'
    replace: Kyiv
    examples: [{text: in Kiev, result: in Kyiv}]
    keep: [Kievan Rus]
"""


def pack(tmp_path, body, name="house.yaml"):
    p = tmp_path / name
    p.write_text("pack: house\ndescription: test\nrules:\n" + body, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "body, message",
    [
        (GOOD_RULE.replace("    replace: Kyiv\n", "    replace: Kyiv\n    colour: red\n"), "unknown key(s) colour"),
        (GOOD_RULE.replace("'\\bKiev\\b'", "'(Kiev'"), "pattern: bad regex"),
        (GOOD_RULE.replace("    examples: [{text: in Kiev, result: in Kyiv}]\n", ""), "missing 'examples'"),
        (GOOD_RULE.replace("    keep: [Kievan Rus]\n", ""), "missing 'keep'"),
        (GOOD_RULE.replace("result: in Kyiv", "result: in Kiev"), "expected 'in Kiev'"),
        (GOOD_RULE.replace("[Kievan Rus]", "[the Kiev metro]"), "keep 'the Kiev metro' was touched"),
        (GOOD_RULE.replace("category: other", "category: typos"), "unknown category 'typos'"),
        (GOOD_RULE.replace("level: fix", "level: maybe"), "level is one of fix, suggest, flag"),
        (GOOD_RULE.replace("kind: pattern", "kind: magic"), "unknown kind 'magic'"),
        (GOOD_RULE.replace("id: house/kyiv", "id: other/kyiv"), "rule ids in pack 'house' start with 'house/'"),
        (GOOD_RULE.replace("replace: Kyiv", "replace: '\\2'"), "refers to group '2'"),
        (GOOD_RULE.replace("    replace: Kyiv\n", "    replace: Kyiv\n    unless: [{before: 'the $'}]\n"),
         "unless[0] (before) is not exercised by any 'keep' example"),
    ],
)
def test_broken_pack_is_refused(tmp_path, body, message):
    p = pack(tmp_path, body)
    with pytest.raises(PackError) as err:
        load_pack(p)
    assert str(err.value).startswith(f"{p}:4: house/kyiv: ") or str(err.value).startswith(f"{p}:"), str(err.value)
    assert message in str(err.value)


def test_error_names_the_line_of_the_failing_rule(tmp_path):
    p = pack(tmp_path, GOOD_RULE + GOOD_RULE.replace("house/kyiv", "house/second").replace("[Kievan Rus]", "[Kiev]"))
    with pytest.raises(PackError, match=rf"^{p}:13: house/second: keep 'Kiev' was touched"):
        load_pack(p)


def test_duplicate_ids_across_packs_are_refused(tmp_path):
    pack(tmp_path, GOOD_RULE, "a.yaml")
    pack(tmp_path, GOOD_RULE, "b.yaml")
    with pytest.raises(PackError, match="duplicate rule id"):
        load_rules([tmp_path])


def test_invalid_yaml_names_its_line(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("pack: x\nrules:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(PackError, match=rf"^{p}:\d+: not valid YAML"):
        load_pack(p)


def test_validated_pack_is_cached_and_a_changed_pack_revalidated(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "cache"))
    p = pack(tmp_path, GOOD_RULE)
    load_pack(p)
    assert len(list((tmp_path / "cache" / "packs").glob("*/*"))) == 1
    p.write_text(p.read_text().replace("result: in Kyiv", "result: in Kiev"), encoding="utf-8")
    with pytest.raises(PackError):
        load_pack(p)
