"""The ANSI colours of the light theme, darker than Textual's: the yellow, green and cyan of warnings,
"ready" messages and phase badges reach a contrast of at least 4.5:1 on the light theme's background and
surface (Textual's own are 2:1 to 3:1)."""

from rich.terminal_theme import TerminalTheme

READABLE_LIGHT = TerminalTheme(
    (247, 247, 247),
    (0, 0, 0),
    [
        (0, 0, 0),
        (155, 45, 40),
        (35, 100, 15),
        (120, 80, 0),
        (45, 80, 175),
        (115, 55, 145),
        (0, 95, 130),
        (247, 247, 247),
        (119, 119, 119),
    ],
    [
        (170, 40, 40),
        (40, 105, 15),
        (125, 85, 0),
        (0, 90, 165),
        (140, 45, 140),
        (0, 100, 135),
        (247, 247, 247),
    ],
)
