from orkg_sync.cli.main import main

main()
