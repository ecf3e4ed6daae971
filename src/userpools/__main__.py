from userpools.cli import main

main()
