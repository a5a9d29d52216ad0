"""Training step: fit a ridge regression of the price on the features (the normal
equations, solved with Gaussian elimination: the standard library only) and save it as
model.json in the model directory, which SageMaker archives as model.tar.gz."""
import csv
import json
import math
import os

CONFIG = "/opt/ml/input/config/hyperparameters.json"
train_dir = os.environ.get("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train")
model_dir = os.environ.get("SM_MODEL_DIR", "/opt/ml/model")


def hyperparameter(name, default):
    """A hyperparameter from hyperparameters.json (values are strings, JSON-encoded by some
    SDK estimators)."""
    try:
        with open(CONFIG) as f:
            value = json.load(f).get(name, default)
    except FileNotFoundError:
        return default
    try:
        return float(json.loads(value)) if isinstance(value, str) else float(value)
    except ValueError:
        return float(value)


l2 = hyperparameter("l2", 0.1)
rows = []
for name in sorted(os.listdir(train_dir)):
    with open(os.path.join(train_dir, name), newline="") as f:
        rows += [[float(v) for v in row] for row in csv.reader(f)]
X = [r[:-1] + [1.0] for r in rows]  # a constant column for the bias
y = [r[-1] for r in rows]
n = len(X[0])

# (XᵀX + λI) w = Xᵀy, the bias left unregularized.
A = [[sum(x[i] * x[j] for x in X) + (l2 if i == j and i < n - 1 else 0.0) for j in range(n)] for i in range(n)]
b = [sum(x[i] * t for x, t in zip(X, y)) for i in range(n)]
for col in range(n):
    pivot = max(range(col, n), key=lambda r: abs(A[r][col]))
    A[col], A[pivot], b[col], b[pivot] = A[pivot], A[col], b[pivot], b[col]
    for r in range(n):
        if r != col:
            factor = A[r][col] / A[col][col]
            A[r] = [a - factor * c for a, c in zip(A[r], A[col])]
            b[r] -= factor * b[col]
w = [b[i] / A[i][i] for i in range(n)]

rmse = math.sqrt(sum((sum(wi * xi for wi, xi in zip(w, x)) - t) ** 2 for x, t in zip(X, y)) / len(X))
os.makedirs(model_dir, exist_ok=True)
with open(os.path.join(model_dir, "model.json"), "w") as f:
    json.dump({"weights": w[:-1], "bias": w[-1]}, f)
print("train_rmse=%.4f" % rmse)
