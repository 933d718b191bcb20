from archiver.html.charset import decode, xml_safe


def test_declared_charset_is_used_when_it_fits() -> None:
    text, how = decode("Grüße".encode("iso-8859-15"), "iso-8859-15")
    assert text == "Grüße" and how.startswith("declared")


def test_wrong_single_byte_declaration_loses_to_utf8() -> None:
    text, how = decode("Café crème, déjà vu".encode(), "iso-8859-1")
    assert text == "Café crème, déjà vu" and "did not fit" in how


def test_wrong_utf8_declaration_falls_back_to_detection() -> None:
    text, _ = decode("<p>Voilà un café très crémeux et délicieux.</p>".encode("cp1252"), "utf-8")
    assert "café très crémeux" in text


def test_undeclared_cyrillic_is_detected() -> None:
    text, how = decode("Привет, как дела? Это тест кодировки для проверки.".encode("cp1251"), None)
    assert text.startswith("Привет") and how.startswith("detected")


def test_bom_wins() -> None:
    assert decode("\ufeffhé".encode("utf-8"), "cp1252")[0] == "hé"


def test_xml_safe_drops_what_xml_cannot_hold() -> None:
    assert xml_safe("a\x0cb\x00c\ud800d\ufffee") == "abcde"


def test_c1_controls_read_as_browsers_read_them() -> None:
    """Windows-1252 text mislabeled Latin-1 leaves C1 controls; browsers show quotes and dashes."""
    assert xml_safe("\x93quoted\x94 \x96 dash\x81") == "“quoted” – dash"
