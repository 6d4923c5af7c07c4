"""A webhook receiver for the README walkthrough.

    python scripts/receiver.py PORT [SECRET]

Prints every POST it gets; with SECRET (whsec_...), checks the Standard
Webhooks signature with the `standardwebhooks` package (pip install
standardwebhooks) and answers 200 if it holds, 401 if not.
"""
import http.server
import json
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 9000
secret = sys.argv[2] if len(sys.argv) > 2 else None
verifier = None
if secret:
    from standardwebhooks.webhooks import Webhook

    verifier = Webhook(secret)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        print(f"POST {self.path}  webhook-id: {self.headers.get('webhook-id')}")
        print(f"  {body.decode()}")
        status = 200
        if verifier:
            try:
                verifier.verify(body, dict(self.headers))
                print("  signature verified with standardwebhooks")
            except Exception as err:  # noqa: BLE001 - report any verification failure
                print(f"  signature REJECTED: {err}")
                status = 401
        sys.stdout.flush()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"received": status == 200}).encode())

    def log_message(self, *args):
        pass


print(f"receiving on http://127.0.0.1:{port}/", flush=True)
http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
