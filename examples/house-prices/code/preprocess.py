"""Processing step: split the raw house data into train and test sets, standardize the
features with the training set's means and deviations, and write both as CSV (features
first, the price last, no header) where the job's outputs are uploaded from."""
import csv
import os
import random
import statistics

INPUT = "/opt/ml/processing/input/data/houses.csv"
OUT = "/opt/ml/processing"

with open(INPUT, newline="") as f:
    rows = [[float(v) for v in row] for row in list(csv.reader(f))[1:]]
random.Random(7).shuffle(rows)
cut = len(rows) * 8 // 10
train, test = rows[:cut], rows[cut:]

columns = len(train[0]) - 1
means = [statistics.fmean(r[i] for r in train) for i in range(columns)]
stdevs = [statistics.pstdev(r[i] for r in train) or 1.0 for i in range(columns)]


def scaled(row):
    return [(row[i] - means[i]) / stdevs[i] for i in range(columns)] + [row[-1]]


for name, part in (("train", train), ("test", test)):
    os.makedirs(os.path.join(OUT, name), exist_ok=True)
    with open(os.path.join(OUT, name, name + ".csv"), "w", newline="") as f:
        csv.writer(f).writerows(scaled(r) for r in part)
print("preprocess: %d training rows, %d test rows, %d features" % (len(train), len(test), columns))
