"""libyaml's parser, which load_yaml takes when PyYAML has it, composes the nodes PyYAML's own
parser does; a file it cannot read is read again by PyYAML's, whose errors we explain."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reportgen.errors import DataError
from reportgen.load import yaml_source
from tests.conftest import DATA

FILES = sorted(DATA.rglob("*.yaml"))


def _nodes(node: yaml.Node) -> list[tuple[object, ...]]:
    here = (type(node).__name__, node.tag, node.start_mark.line, node.start_mark.column, node.end_mark.line)
    if isinstance(node, yaml.MappingNode):
        return [(*here, bool(node.flow_style))] + [n for key, value in node.value for n in _nodes(key) + _nodes(value)]
    if isinstance(node, yaml.SequenceNode):
        return [(*here, bool(node.flow_style))] + [n for item in node.value for n in _nodes(item)]
    return [(*here, node.value, yaml_source._plain(node) or node.style)]


@pytest.mark.skipif(yaml_source._FAST_LOADER is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(DATA)) for p in FILES])
def test_libyaml_composes_the_nodes_pyyaml_does(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast, slow = yaml_source._FAST_LOADER(text), yaml_source._BoundedLoader(text)  # type: ignore[misc]
    assert _nodes(fast.get_single_node()) == _nodes(slow.get_single_node())


def test_an_error_reads_as_pyyaml_explains_it(tmp_path: Path) -> None:
    bad = tmp_path / "kpi_results.yaml"
    bad.write_text("kpis:\n  - id: a\n    name: [unclosed\n  - id: b\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        yaml_source.load_yaml(bad)
    (problem,) = caught.value.problems
    assert problem.line == 3 and "parser:" in problem.expected
    with pytest.raises(yaml.MarkedYAMLError) as pyyaml:
        yaml_source._BoundedLoader(bad.read_text()).get_single_node()
    said = "; ".join(p for p in (pyyaml.value.context, pyyaml.value.problem) if p)
    assert problem.expected == f"valid YAML; parser: {said}"
