"""The JSON lists of the national reports: one object per line, each encoded by the json module's C
encoder. `json.dumps(rows, indent=2)` goes through the encoder's pure-Python path and takes
seconds for the 290,000 cells of a national year; the list is the same JSON either way."""

import json

_encode = json.JSONEncoder(ensure_ascii=False).encode


def json_list_write(out, rows) -> None:
    """Write `rows` (dicts, any iterable) to `out` (a command's stdout) as a JSON list, a row a line."""
    text = ",\n".join(map(_encode, rows))
    out.write(f"[\n{text}\n]" if text else "[]")
