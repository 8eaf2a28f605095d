import sys

from eval.harness import main

sys.exit(main())
