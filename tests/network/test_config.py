"""The shipped YAML validates; wrong files are refused with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from puente.network import load_network_config, load_rules
from puente.network.config import CONFIG_VERSION


def test_shipped_files_validate() -> None:
    config = load_network_config()
    assert config.version == CONFIG_VERSION and config.graph.edge_weights["associate"] > 0
    rules = load_rules()
    assert rules.version and {r.id for r in rules.rules} >= {"network_member_driver", "prior_seizure"}


def test_unknown_keys_are_refused(tmp_path: Path) -> None:
    data = load_network_config().model_dump()
    data["graph"]["surprise"] = 1
    path = tmp_path / "n.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValidationError, match="surprise"):
        load_network_config(path)


def test_unknown_targeting_rule_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        yaml.safe_dump({"version": "x", "rules": [{"id": "astrology", "description": "d", "weight": 1}]}),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="astrology"):
        load_rules(path)
