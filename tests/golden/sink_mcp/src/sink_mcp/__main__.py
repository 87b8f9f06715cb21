import sys

from sink_mcp.server import main

sys.exit(main())
