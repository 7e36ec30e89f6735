"""Reports and forms sent to the township (报告单 / 公文)."""
