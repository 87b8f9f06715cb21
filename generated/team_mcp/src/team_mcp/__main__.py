import sys

from team_mcp.server import main

sys.exit(main())
