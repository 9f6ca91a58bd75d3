Console.WriteLine("CoAP demo: not built yet.");
