namespace Tern.Lwm2m.Tests.Definitions.Ddf;

/// <summary>Small hand-written DDF documents for loader tests.</summary>
internal static class DdfXml
{
    public static string Item(int id = 0, string name = "Value", string operations = "R", string multiple = "Single",
        string mandatory = "Mandatory", string type = "Integer", string range = "", string units = "") => $"""
            <Item ID="{id}">
              <Name>{name}</Name>
              <Operations>{operations}</Operations>
              <MultipleInstances>{multiple}</MultipleInstances>
              <Mandatory>{mandatory}</Mandatory>
              <Type>{type}</Type>
              <RangeEnumeration>{range}</RangeEnumeration>
              <Units>{units}</Units>
              <Description>d</Description>
            </Item>
        """;

    public static string Object(string id = "42000", string items = "", string multiple = "Multiple", string mandatory = "Optional",
        string versions = "<LWM2MVersion>1.1</LWM2MVersion><ObjectVersion>1.3</ObjectVersion>") => $"""
          <Object ObjectType="MODefinition">
            <Name>Test Object</Name>
            <Description1>t</Description1>
            <ObjectID>{id}</ObjectID>
            <ObjectURN>urn:oma:lwm2m:x:{id}</ObjectURN>
            {versions}
            <MultipleInstances>{multiple}</MultipleInstances>
            <Mandatory>{mandatory}</Mandatory>
            <Resources>
        {(items.Length == 0 ? Item() : items)}
            </Resources>
            <Description2></Description2>
          </Object>
        """;

    public static string Document(string objects) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <LWM2M xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.openmobilealliance.org/tech/profiles/LWM2M-v1_1.xsd">
        {objects}
        </LWM2M>
        """;

    public static string Document() => Document(Object());
}
