"""Evaluation step: score the trained model on the test set and write the report the
pipeline's condition reads (a property file)."""
import csv
import json
import math
import os
import tarfile

MODEL = "/opt/ml/processing/model"
TEST = "/opt/ml/processing/test/test.csv"
REPORT = "/opt/ml/processing/evaluation/evaluation.json"

with tarfile.open(os.path.join(MODEL, "model.tar.gz")) as t:
    t.extractall(MODEL)
with open(os.path.join(MODEL, "model.json")) as f:
    model = json.load(f)
with open(TEST, newline="") as f:
    rows = [[float(v) for v in row] for row in csv.reader(f)]


def predict(features):
    return model["bias"] + sum(w * x for w, x in zip(model["weights"], features))


rmse = math.sqrt(sum((predict(r[:-1]) - r[-1]) ** 2 for r in rows) / len(rows))
os.makedirs(os.path.dirname(REPORT), exist_ok=True)
with open(REPORT, "w") as f:
    json.dump({"regression_metrics": {"rmse": {"value": rmse}}}, f)
print("test_rmse=%.4f on %d rows" % (rmse, len(rows)))
