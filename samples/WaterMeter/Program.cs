using WaterMeter;

return await MeterProgram.RunAsync(args, Console.Out, Console.Error);
