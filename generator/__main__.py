from generator.cli.main import console

console()
