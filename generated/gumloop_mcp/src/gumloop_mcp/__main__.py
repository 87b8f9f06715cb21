import sys

from gumloop_mcp.server import main

sys.exit(main())
