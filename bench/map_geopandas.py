"""Baseline for the map benchmark: the same picture drawn the way analysts draw it in Python.

    python3 bench/map_geopandas.py LAYER.gpkg FIELD OUT.png

Reads the layer with geopandas, puts FIELD into 5 quantile classes (the NULL geometry and NULL
values drawn grey), draws every polygon with a hairline outline on a 2000x2000 px figure at 300
dpi with a title, a legend of class ranges and counts and a source note, and saves a PNG. Prints
the seconds spent reading and drawing (wall) on one line: "read R draw D".
"""
import sys
import time
import warnings

warnings.filterwarnings("ignore")
t0 = time.perf_counter()
import geopandas  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

path, field, out = sys.argv[1], sys.argv[2], sys.argv[3]
t1 = time.perf_counter()
df = geopandas.read_file(path)
t2 = time.perf_counter()

values = df[field].to_numpy(dtype=float)
finite = values[np.isfinite(values)]
breaks = np.quantile(finite, np.linspace(0, 1, 6))
classes = np.clip(np.searchsorted(breaks, values, side="left") - 1, 0, 4)
classes[~np.isfinite(values)] = -1
colours = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]  # YlGnBu, 5 classes
face = np.array([colours[c] if c >= 0 else "#d9d9d9" for c in classes], dtype=object)

fig = plt.figure(figsize=(2000 / 300, 2000 / 300), dpi=300)
ax = fig.add_axes([0.03, 0.08, 0.72, 0.80])
ax.set_axis_off()
df.plot(ax=ax, color=face, edgecolor="#737373", linewidth=0.05)
ax.set_aspect(1 / np.cos(np.deg2rad(df.total_bounds[[1, 3]].mean())))
fig.suptitle(field, x=0.03, ha="left", fontsize=10, fontweight="bold")
handles = [
    Patch(facecolor=colours[k], edgecolor="#737373",
          label=f"{breaks[k]:.2f} - {breaks[k + 1]:.2f}  ({int((classes == k).sum())})")
    for k in range(5)
]
handles.append(Patch(facecolor="#d9d9d9", edgecolor="#737373", label=f"No data  ({int((classes < 0).sum())})"))
fig.legend(handles=handles, loc="upper right", fontsize=5, title=field, title_fontsize=5, frameon=False)
fig.text(0.03, 0.02, f"Source: {path.split('/')[-1]}, field {field}", fontsize=4)
fig.savefig(out, dpi=300)
t3 = time.perf_counter()
print(f"read {t2 - t1:.2f} draw {t3 - t2:.2f}")
