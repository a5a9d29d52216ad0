"""Cairn's script-mode inference server.

Serves GET /ping and POST /invocations on 127.0.0.1:$SAGEMAKER_BIND_TO_PORT for the
program named by SAGEMAKER_PROGRAM, as SageMaker's framework containers do: model_fn
loads the model from /opt/ml/model once; each request goes through input_fn,
predict_fn and output_fn (or transform_fn), with the inference toolkit's defaults
for the handlers the program does not define. Standard library only.
"""

import csv
import importlib
import inspect
import io
import json
import os
import sys
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL_DIR = "/opt/ml/model"
DEFAULT_CONTENT_TYPE = "application/json"


class UnsupportedFormat(Exception):
    """A content type or accept type the default handlers cannot handle (HTTP 415)."""


def call(fn, *args):
    """Calls a handler, passing the optional trailing context argument (None) if it takes one."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return fn(*args)
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    varargs = any(p.kind == p.VAR_POSITIONAL for p in params)
    if varargs or len(positional) > len(args):
        return fn(*args, None)
    return fn(*args)


def base_type(content_type):
    return (content_type or "").split(";")[0].strip().lower()


def number(value):
    try:
        return float(value)
    except ValueError:
        return value


def default_input_fn(body, content_type):
    ct = base_type(content_type) or DEFAULT_CONTENT_TYPE
    text = body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body
    if ct == "application/json":
        return json.loads(text)
    if ct == "text/csv":
        rows = [[number(v.strip()) for v in row] for row in csv.reader(io.StringIO(text)) if row]
        return rows[0] if len(rows) == 1 else rows
    if ct == "text/plain":
        return text
    raise UnsupportedFormat("Content type %s is not supported by the default input_fn; "
                            "define input_fn in %s" % (content_type, os.environ.get("SAGEMAKER_PROGRAM")))


def default_predict_fn(data, model):
    if callable(model):
        return model(data)
    if hasattr(model, "predict"):
        return model.predict(data)
    raise TypeError("the model returned by model_fn is neither callable nor has a predict method; define predict_fn")


def plain(value):
    """Turns array-likes (numpy arrays and scalars) into lists and numbers."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def default_output_fn(prediction, accept):
    ct = base_type(accept)
    if ct in ("", "*/*"):
        ct = base_type(os.environ.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT")) or "application/json"
    value = plain(prediction)
    if ct == "application/json":
        return json.dumps(value), ct
    if ct == "text/csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        rows = value if isinstance(value, list) else [value]
        for row in rows:
            writer.writerow(row if isinstance(row, list) else [row])
        return out.getvalue(), ct
    if ct == "text/plain":
        return str(value), ct
    raise UnsupportedFormat("Accept type %s is not supported by the default output_fn; "
                            "define output_fn in %s" % (accept, os.environ.get("SAGEMAKER_PROGRAM")))


def load_program():
    program = os.environ["SAGEMAKER_PROGRAM"]
    code_dir = os.environ.get("CAIRN_CODE_DIR", "/opt/ml/code")
    sys.path.insert(0, code_dir)
    name = program[:-3] if program.endswith(".py") else program
    return importlib.import_module(name)


class Handlers:
    def __init__(self, module):
        self.transform_fn = getattr(module, "transform_fn", None)
        self.input_fn = getattr(module, "input_fn", None)
        self.predict_fn = getattr(module, "predict_fn", None)
        self.output_fn = getattr(module, "output_fn", None)
        model_fn = getattr(module, "model_fn", None)
        if model_fn is not None:
            self.model = call(model_fn, MODEL_DIR)
        elif self.transform_fn is not None or self.predict_fn is not None:
            self.model = None
        else:
            sys.exit("%s defines no model_fn: define model_fn(model_dir) to load the model from %s"
                     % (os.environ["SAGEMAKER_PROGRAM"], MODEL_DIR))

    def invoke(self, body, content_type, accept):
        if self.transform_fn is not None:
            result = call(self.transform_fn, self.model, body, content_type, accept)
            if isinstance(result, tuple):
                return result[0], result[1] if len(result) > 1 else accept
            return result, accept
        data = call(self.input_fn, body, content_type) if self.input_fn else default_input_fn(body, content_type)
        prediction = call(self.predict_fn, data, self.model) if self.predict_fn else default_predict_fn(data, self.model)
        if self.output_fn:
            result = call(self.output_fn, prediction, accept)
            if isinstance(result, tuple):
                return result[0], result[1] if len(result) > 1 else accept
            return result, accept
        return default_output_fn(prediction, accept)


def make_handler(handlers):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def reply(self, status, body, content_type="text/plain"):
            if isinstance(body, str):
                body = body.encode("utf-8")
            elif not isinstance(body, (bytes, bytearray)):
                body = json.dumps(plain(body)).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type or "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/ping":
                self.reply(200, "")
            else:
                self.reply(404, "not found")

        def do_POST(self):
            if self.path != "/invocations":
                self.reply(404, "not found")
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            content_type = self.headers.get("Content-Type") or DEFAULT_CONTENT_TYPE
            accept = self.headers.get("Accept") or ""
            try:
                result, out_type = handlers.invoke(body, content_type, accept)
            except UnsupportedFormat as e:
                self.reply(415, str(e))
                return
            except Exception as e:
                traceback.print_exc()
                self.reply(500, "%s: %s" % (type(e).__name__, e))
                return
            self.reply(200, result, out_type)

    return Handler


def main():
    handlers = Handlers(load_program())
    port = int(os.environ.get("SAGEMAKER_BIND_TO_PORT", "8080"))
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(handlers))
    server.daemon_threads = True
    print("Cairn inference server for %s listening on 127.0.0.1:%d" % (os.environ["SAGEMAKER_PROGRAM"], port), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
