"""Serves a Python Pulumi program to the `pulumi` CLI over `--client`, with the `pulumi` package's own
language server: the one its Automation API starts for inline programs (pulumi.automation._stack runs
`pulumi up|preview|refresh|destroy --client=127.0.0.1:<port>` against it, supported by the CLI since
3.181). The program is the project's `__main__.py`, run as the official host runs it: as `__main__`, with
the project folder first on `sys.path`.

    python serve.py <project dir>

Prints the port on the first line of stdout, then serves until stdin closes (or SIGTERM).
"""

import os
import runpy
import signal
import sys
from concurrent import futures

import grpc
from pulumi.automation._server import LanguageServer
from pulumi.runtime.proto import language_pb2_grpc

# The limits of pulumi.automation._stack's own server.
_GRPC_OPTIONS = [("grpc.max_receive_message_length", 1024 * 1024 * 400)]


def main() -> int:
    if len(sys.argv) != 2:
        sys.stderr.write("usage: python serve.py <project dir>\n")
        return 2
    project = os.path.abspath(sys.argv[1])
    entry = os.path.join(project, "__main__.py")
    if not os.path.isfile(entry):
        sys.stderr.write(f"serve.py: no __main__.py in {project}\n")
        return 2
    sys.path.insert(0, project)

    def program() -> None:
        runpy.run_path(entry, run_name="__main__")

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), options=_GRPC_OPTIONS)
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(LanguageServer(program), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    signal.signal(signal.SIGTERM, lambda *_: server.stop(0))
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    sys.stdin.read()
    server.stop(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
