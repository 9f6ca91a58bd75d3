using System.CommandLine;

var root = new RootCommand("tern: the Tern LwM2M tool");
return root.Parse(args).Invoke();
