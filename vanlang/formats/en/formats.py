# English pages read dates as Vietnamese users write them: dd/mm/yyyy.
from vanlang.formats.vi.formats import *  # noqa: F403
