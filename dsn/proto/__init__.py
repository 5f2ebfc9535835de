"""The DSN's gRPC interface: ``.proto`` files and the code ``grpc_tools.protoc`` generates from them.

``exporter.proto`` and ``narwhal.proto`` are the seed's services (same names and field numbers);
``dsn.proto`` is ours. Regenerate with ``scripts/gen_proto`` (``dsn.proto.build``) after editing a
``.proto``; a test checks the committed ``*_pb2*.py`` are up to date.
"""
