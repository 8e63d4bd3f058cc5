"""The yardstick of the letters benchmark: the same letters drawn with reportlab.

Each letter as RiskDesk prints it (letterhead, date, customer, title, the level's text,
the overdue invoices, the total and how to pay), one file each, one thread, the CJK font
embedded as a subset. Prints the seconds taken and the bytes written.

    python reportlab_letters.py LETTERS.json CJK.ttf OUT_DIR
"""
import json
import os
import sys
import time

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas


def letter(path, l):
    c = canvas.Canvas(path, pagesize=A4)
    width, height = A4
    left, right = 56, width - 56
    y = height - 56

    def line(text, size=10, x=left, gap=4):
        nonlocal y
        c.setFont("CJK", size)
        c.drawString(x, y, text)
        y -= size + gap

    def paragraph(text, size=10):
        for part in text.split("\n"):
            for piece in simpleSplit(part, "CJK", size, right - left) or [""]:
                line(piece, size)

    for t in l["letterhead"]:
        line(t, 9, gap=2)
    y -= 12
    line(l["date"])
    line(l["customer"], 11)
    for t in l["address"]:
        line(t)
    y -= 10
    line(l["title"], 16, gap=10)
    paragraph(l["body"])
    y -= 8
    c.setFont("CJK", 9)
    for row in l["invoices"]:
        for x, cell in zip((left, left + 120, left + 220, left + 300), row):
            c.drawString(x, y, cell)
        y -= 13
    y -= 6
    line(l["total"], 11)
    paragraph(l["payment"], 9)
    c.showPage()
    c.save()


def main():
    letters = json.load(open(sys.argv[1], encoding="utf-8"))
    pdfmetrics.registerFont(TTFont("CJK", sys.argv[2]))
    out = sys.argv[3]
    start = time.perf_counter()
    for i, l in enumerate(letters):
        letter(os.path.join(out, f"{i:04}.pdf"), l)
    secs = time.perf_counter() - start
    size = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
    print(f"{secs:.4f} {size}")


main()
