import sys

from gong_mcp.server import main

sys.exit(main())
