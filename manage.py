#!/usr/bin/env python
from bastion.cli import main

if __name__ == "__main__":
    main()
