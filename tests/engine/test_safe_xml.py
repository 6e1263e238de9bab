"""DOCTYPEs, external entities and entity bombs are refused before any parser expands them."""

from __future__ import annotations

import pytest

from engine import DiagramInvalid, inspect_diagram

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&xxe;</bpmn:definitions>"""
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol3;</bpmn:definitions>"""
PLAIN_DOCTYPE = b"""<?xml version="1.0"?><!DOCTYPE definitions>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"/>"""
UTF16_DOCTYPE = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d SYSTEM "http://x/d.dtd"><d/>'.encode("utf-16")


@pytest.mark.parametrize("content", [XXE, BOMB, PLAIN_DOCTYPE, UTF16_DOCTYPE])
def test_doctype_and_entities_are_refused(content: bytes) -> None:
    with pytest.raises(DiagramInvalid) as caught:
        inspect_diagram("evil.bpmn", content)
    [issue] = caught.value.issues
    assert "DOCTYPE" in issue.message and issue.file == "evil.bpmn"
