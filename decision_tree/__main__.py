from decision_tree.cli import main

raise SystemExit(main())
