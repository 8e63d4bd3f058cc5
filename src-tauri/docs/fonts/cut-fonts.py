#!/usr/bin/env python3
"""Cuts the fonts RiskDesk ships from Debian's packages, reproducibly.

    apt-get install fonts-noto-cjk fonts-dejavu-core
    pip install fonttools==4.68.0
    python3 src-tauri/docs/fonts/cut-fonts.py

NotoSansTC-RiskDesk.otf  Noto Sans CJK TC (face 3 of NotoSansCJK-Regular.ttc): Latin with
                         its extensions (Vietnamese included), punctuation, currency signs,
                         every character of Big5 (Traditional Chinese), of JIS X 0208
                         (Japanese, so names such as 株式会社 print; Taiwanese resellers
                         serve customers in Japan), of GB 2312 (Simplified Chinese, as
                         customers in Singapore and Malaysia write their names) and every
                         Hangul syllable (customers in Korea).
DejaVuSans-RiskDesk.ttf  DejaVu Sans for what Noto Sans CJK lacks: the peso, rupee and baht
                         signs, the rest of Latin Extended-A/B, and the symbols, shapes and
                         dingbats people type in names and addresses (check marks, stars,
                         circled numbers), Hebrew and Arabic with their presentation forms
                         (RiskDesk joins Arabic letters and orders right-to-left text itself,
                         `src-tauri/docs/src/shape.rs`); with the Thai letters of Noto Sans Thai
                         (package fonts-noto-core), scaled to its em, for customers in Thailand,
                         and Urdu's letters DejaVu lacks (heh goal, yeh barree, their joined
                         forms, the Urdu full stop) from Noto Sans Arabic, fitted to DejaVu's
                         joining stroke, for customers in Pakistan (لاہور, کے).
                         Letters use it for any character the first font has no glyph for.
All are under free licences (SIL OFL 1.1; Bitstream Vera / DejaVu), kept beside them.

    apt-get install fonts-noto-core   (for NotoSansThai-Regular.ttf, NotoSansArabic-Regular.ttf)
"""
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont
from fontTools.ttLib.tables import ttProgram
from fontTools.ttLib.tables._c_m_a_p import cmap_format_12

HERE = os.path.dirname(os.path.abspath(__file__))
NOTO = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
THAI = "/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf"
ARABIC = "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"

LATIN = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x017F),  # Latin Extended-A
    (0x0180, 0x024F),  # Latin Extended-B
    (0x0250, 0x02AF),  # IPA Extensions (pinyin's ɑ and ɡ in GB 2312)
    (0x02B0, 0x02FF),  # Spacing Modifier Letters (Big5 has some, as other readers map it)
    (0x0300, 0x036F),  # combining marks
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x206F),  # General Punctuation
    (0x20A0, 0x20CF),  # Currency Symbols
    (0x2100, 0x214F),  # Letterlike Symbols
    (0x2150, 0x218F),  # Number Forms (roman numerals)
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical Operators (x, ÷ ...)
    (0x0E3F, 0x0E3F),  # Thai baht sign
]
CJK_EXTRA = [
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (①..⑳, as Japanese files write them)
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3130, 0x318F),  # Hangul Compatibility Jamo
    (0x3200, 0x33FF),  # Enclosed CJK and CJK Compatibility (㈱ in company names, ㍻)
    (0xAC00, 0xD7A3),  # Hangul Syllables
    (0xFE10, 0xFE1F),  # Vertical Forms (GBK writes GB 2312's row 6 with them)
    (0xFE50, 0xFE6F),  # Small Form Variants (likewise)
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]
RIGHT_TO_LEFT = [
    (0x0590, 0x05FF),  # Hebrew
    (0x0600, 0x06FF),  # Arabic
    (0xFB1D, 0xFB4F),  # Alphabetic Presentation Forms (Hebrew)
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B: each letter's joined forms
]
URDU = [
    (0x06C0, 0x06C3),  # heh with yeh above, heh goal (with hamza), teh marbuta goal
    (0x06D2, 0x06D4),  # yeh barree (with hamza), the Urdu full stop
    (0xFBA4, 0xFBA9),  # their presentation forms
    (0xFBAE, 0xFBB1),
]
SYMBOLS = [
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (circled numbers)
    (0x2500, 0x257F),  # Box Drawing
    (0x25A0, 0x25FF),  # Geometric Shapes
    (0x2600, 0x26FF),  # Miscellaneous Symbols
    (0x2700, 0x27BF),  # Dingbats
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


def gb2312():
    return double_byte("gb2312", list(range(0xA1, 0xFF)))


def borrow(base, path, unicodes, prefix, fit=None):
    """Adds the glyphs of the font at `path` for `unicodes` to `base` (in place of its own for
    a character both have), scaled to its em and renamed `prefix.*` so that none takes the place of one of `base`'s.

    `fit(base, font)`, if given, reads the whole font scaled to `base`'s em and answers a further scale and lift (in `base`'s units) that
    make the borrowed glyphs meet `base`'s; outlines are then made simple (composites
    decomposed) and moved by it, advances scaled."""
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(path)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.glyph_names = True
    options.notdef_outline = False
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[c for c in font.getBestCmap() if c in unicodes])
    sub.subset(font)
    scale_upem(font, base["head"].unitsPerEm)
    names = {n: prefix + "." + n for n in font.getGlyphOrder() if n != ".notdef"}
    if fit:
        whole = TTFont(path)
        scale_upem(whole, base["head"].unitsPerEm)
        scale, lift = fit(base, whole)
        theirs = font["glyf"]
        moved = {}
        for old in names:
            coordinates, ends, flags = theirs[old].getCoordinates(theirs)
            coordinates.scale((scale, scale))
            coordinates.translate((0, lift))
            coordinates.toInt()
            glyph = theirs[old].__class__()
            glyph.numberOfContours = len(ends)
            glyph.coordinates, glyph.endPtsOfContours = coordinates, list(ends)
            glyph.flags, glyph.program = flags, ttProgram.Program()
            glyph.program.fromBytecode(b"")
            if not ends:
                glyph.numberOfContours = 0
            moved[old] = glyph
            advance, lsb = font["hmtx"].metrics[old]
            font["hmtx"].metrics[old] = (round(advance * scale), round(lsb * scale))
        for old, glyph in moved.items():
            theirs.glyphs[old] = glyph
    order = list(base.getGlyphOrder())
    glyf, hmtx = base["glyf"], base["hmtx"]
    for old, new in names.items():
        glyph = font["glyf"][old]
        if glyph.isComposite():
            for component in glyph.components:
                component.glyphName = names[component.glyphName]
        order.append(new)
        glyf.glyphs[new] = glyph
        hmtx.metrics[new] = font["hmtx"].metrics[old]
    base.setGlyphOrder(order)
    glyf.glyphOrder = order
    for name in names.values():
        glyf[name].recalcBounds(glyf)
    for table in base["cmap"].tables:
        if table.isUnicode():
            for code, name in font.getBestCmap().items():
                table.cmap[code] = names[name]


def add_thai(base, path):
    """Adds Noto Sans Thai's Thai letters (U+0E00..U+0E7F) to `base`, scaled to its em.

    Marks keep no advance and sit left of their origin, as the font draws them, so that
    written without shaping they fall on the letter before them."""
    borrow(base, path, codepoints([(0x0E00, 0x0E7F)]), "thai")


def joining_stroke(base, font):
    """The scale and lift that lay `font`'s joining stroke (its tatweel, U+0640) on
    `base`'s: same thickness, same bottom, so a borrowed letter joins its neighbours."""

    def stroke(f):
        glyf = f["glyf"]
        glyph = glyf[f.getBestCmap()[0x0640]]
        glyph.recalcBounds(glyf)
        return glyph.yMin, glyph.yMax

    (b0, b1), (f0, f1) = stroke(base), stroke(font)
    scale = (b1 - b0) / (f1 - f0)
    return scale, round(b0 - f0 * scale)


def add_urdu(base, path):
    """Adds Noto Sans Arabic's Urdu letters that `base` lacks, fitted to its joining
    stroke."""
    missing = codepoints(URDU) - set(base.getBestCmap())
    borrow(base, path, missing, "urdu", fit=joining_stroke)


def extend_fallback(font):
    add_thai(font, THAI)
    add_urdu(font, ARABIC)


def cut(font, unicodes, out, extend=None):
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
    if extend:
        extend(font)
    # One Unicode cmap of format 12 (32-bit offsets): with Big5, JIS X 0208, GB 2312 and
    # Hangul the format 4 table's segments reach past what readers look up (ttf-parser
    # found no glyph for 最 or 。), and every reader takes format 12.
    full = cmap_format_12(12)
    full.platformID, full.platEncID, full.language = 3, 10, 0
    full.cmap = dict(font.getBestCmap())
    font["cmap"].tables = [full]
    font.save(out)
    print(f"{out}: {len(font.getBestCmap())} characters, {os.path.getsize(out)} bytes")


def main():
    noto = TTCollection(NOTO).fonts[3]
    cut(
        noto,
        codepoints(LATIN) | codepoints(CJK_EXTRA) | big5() | jis_x_0208() | gb2312(),
        os.path.join(HERE, "NotoSansTC-RiskDesk.otf"),
    )
    dejavu = TTFont(DEJAVU)
    cut(
        dejavu,
        codepoints(LATIN) | codepoints(SYMBOLS) | codepoints(RIGHT_TO_LEFT),
        os.path.join(HERE, "DejaVuSans-RiskDesk.ttf"),
        extend=extend_fallback,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
