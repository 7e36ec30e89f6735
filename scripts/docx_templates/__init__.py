"""One module per kind: KIND names the kind, build() returns its Word template."""
