"""A long JSON list written as `json.dumps(rows, ensure_ascii=False, indent=2)` writes it, a row at
a time: the national reports print hundreds of thousands of rows, which neither need to be kept
whole nor go through the encoder's pure-Python indenting path."""

import json


def json_list_write(out, rows) -> None:
    """Write `rows` (dicts, any iterable) to `out` (a command's stdout), then a newline."""
    separator = "[\n"
    for row in rows:
        fields = ",\n".join(
            f"    {json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
            for key, value in row.items()
        )
        out.write(f"{separator}  {{\n{fields}\n  }}", ending="")
        separator = ",\n"
    out.write("[]" if separator == "[\n" else "\n]")
