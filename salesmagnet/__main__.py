from salesmagnet.cli import main

raise SystemExit(main())
