#!/usr/bin/env python3
"""Cuts the fonts RiskDesk ships from Debian's packages, reproducibly.

    apt-get install fonts-noto-cjk fonts-dejavu-core
    pip install fonttools==4.68.0
    python3 src-tauri/docs/fonts/cut-fonts.py

NotoSansTC-RiskDesk.otf  Noto Sans CJK TC (face 3 of NotoSansCJK-Regular.ttc): Latin with
                         its extensions (Vietnamese included), punctuation, currency signs,
                         every character of Big5 (Traditional Chinese) and of JIS X 0208
                         (Japanese, so names such as 株式会社 print; Taiwanese resellers
                         serve customers in Japan).
DejaVuSans-RiskDesk.ttf  DejaVu Sans for what Noto Sans CJK lacks: the peso, rupee and baht
                         signs and the rest of Latin Extended-A/B. Letters use it for any
                         character the first font has no glyph for.
Both are under free licences (SIL OFL 1.1; Bitstream Vera / DejaVu), kept beside them.
"""
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = os.path.dirname(os.path.abspath(__file__))
NOTO = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

LATIN = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x017F),  # Latin Extended-A
    (0x0180, 0x024F),  # Latin Extended-B
    (0x0300, 0x036F),  # combining marks
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x206F),  # General Punctuation
    (0x20A0, 0x20CF),  # Currency Symbols
    (0x2100, 0x214F),  # Letterlike Symbols
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical Operators (x, ÷ ...)
    (0x0E3F, 0x0E3F),  # Thai baht sign
]
CJK_EXTRA = [
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]


def codepoints(ranges):
    return {c for a, b in ranges for c in range(a, b + 1)}


def double_byte(encoding, trails):
    """Every character a double-byte encoding can write."""
    out = set()
    for lead in range(0x81, 0xFF):
        for trail in trails:
            try:
                out.update(ord(c) for c in bytes([lead, trail]).decode(encoding))
            except UnicodeDecodeError:
                pass
    return out


def big5():
    return double_byte("big5", list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)))


def jis_x_0208():
    return double_byte("shift_jis", list(range(0x40, 0x7F)) + list(range(0x80, 0xFD)))


def cut(font, unicodes, out):
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    # Outlines without shared subroutines: a letter's subset then carries only its own
    # glyphs, not the font's subroutines (a letter 2 KB smaller, subset a sixth faster).
    options.desubroutinize = True
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(unicodes & set(font.getBestCmap())))
    sub.subset(font)
    font.save(out)
    print(f"{out}: {len(font.getBestCmap())} characters, {os.path.getsize(out)} bytes")


def main():
    noto = TTCollection(NOTO).fonts[3]
    cut(
        noto,
        codepoints(LATIN) | codepoints(CJK_EXTRA) | big5() | jis_x_0208(),
        os.path.join(HERE, "NotoSansTC-RiskDesk.otf"),
    )
    dejavu = TTFont(DEJAVU)
    cut(dejavu, codepoints(LATIN), os.path.join(HERE, "DejaVuSans-RiskDesk.ttf"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
