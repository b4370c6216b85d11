#include "plugin_config_schema.hpp"

#include <gtest/gtest.h>

namespace micro_order::host {
namespace {

const char* const kConsumerSchema = R"(
type: object
description: a workflow consumer
additionalProperties: false
required: [handler]
properties:
  handler:
    type: string
    description: which workflow step
    enum: [orders_create, shippings_update]
  prefetch:
    type: integer
    description: unacked messages
    minimum: 1
    maximum: 65535
    default: 5
  sources:
    type: array
    description: documents
    minItems: 1
    items:
      type: object
      description: one document
      required: [name]
      properties:
        name: {type: string, description: its name}
        timeout_ms: {type: integer, description: per fetch, default: 2000}
)";

std::vector<std::string> problems(const std::string& configYaml) {
    const YAML::Node file = YAML::Load("plugins:\n  - name: x\n    config:\n" + configYaml);
    const YAML::Node config = file["plugins"][0]["config"];
    return PluginConfigSchema::parse(kConsumerSchema)
        .validate(config, {"f.yaml", "plugins[0].config", config.IsNull() ? file["plugins"][0].Mark() : config.Mark()});
}

TEST(PluginConfigSchema, AConfigThatFitsHasNoProblem) {
    EXPECT_EQ(problems("      handler: orders_create\n      prefetch: 50\n"), std::vector<std::string>{});
}

TEST(PluginConfigSchema, AMisspeltKeyIsAnErrorAtItsPositionNamingTheKnownKeys) {
    EXPECT_EQ(problems("      handler: orders_create\n      prefech: 50\n"),
              std::vector<std::string>{
                  "f.yaml:5:7: plugins[0].config.prefech: unknown key (known: handler, prefetch, sources)"});
}

TEST(PluginConfigSchema, WrongTypesRangesChoicesAndMissingKeysAreEachReported) {
    EXPECT_EQ(problems("      handler: orders_delete\n      prefetch: 0\n"),
              (std::vector<std::string>{
                  "f.yaml:4:16: plugins[0].config.handler: 'orders_delete' is not one of: orders_create, "
                  "shippings_update",
                  "f.yaml:5:17: plugins[0].config.prefetch: must be between 1 and 65535, got 0"}));
    EXPECT_EQ(problems("      prefetch: many\n"),
              (std::vector<std::string>{"f.yaml:4:7: plugins[0].config.handler: missing (required)",
                                        "f.yaml:4:17: plugins[0].config.prefetch: expected an integer, got 'many'"}));
    EXPECT_EQ(problems("      handler: [orders_create]\n"),
              std::vector<std::string>{"f.yaml:4:16: plugins[0].config.handler: expected string, got a list"});
}

TEST(PluginConfigSchema, NestedListsAreCheckedItemByItem) {
    EXPECT_EQ(problems("      handler: orders_create\n      sources:\n        - name: a\n        - nmae: b\n"),
              (std::vector<std::string>{
                  "f.yaml:7:11: plugins[0].config.sources[1].nmae: unknown key (known: name, timeout_ms)",
                  "f.yaml:7:11: plugins[0].config.sources[1].name: missing (required)"}));
    EXPECT_EQ(problems("      handler: orders_create\n      sources: []\n"),
              std::vector<std::string>{"f.yaml:5:16: plugins[0].config.sources: must have at least 1 entries"});
}

TEST(PluginConfigSchema, NoConfigAtAllStillNeedsTheRequiredKeys) {
    const YAML::Node file = YAML::Load("plugins:\n  - name: x\n");
    const auto found =
        PluginConfigSchema::parse(kConsumerSchema)
            .validate(file["plugins"][0]["config"], {"f.yaml", "plugins[0].config", file["plugins"][0].Mark()});
    EXPECT_EQ(found, std::vector<std::string>{"f.yaml:2:5: plugins[0].config.handler: missing (required)"});
}

TEST(PluginConfigSchema, AnEmptySchemaRejectsEveryKey) {
    const auto schema = PluginConfigSchema::parse("type: object\nproperties: {}\n");
    const YAML::Node config = YAML::Load("anything: 1\n");
    EXPECT_EQ(schema.validate(config, {"f.yaml", "plugins[2].config", config.Mark()}),
              std::vector<std::string>{
                  "f.yaml:1:1: plugins[2].config.anything: unknown key (this plugin takes no config keys)"});
}

TEST(PluginConfigSchema, DefaultsFillWhatTheConfigLeavesOut) {
    const auto schema = PluginConfigSchema::parse(kConsumerSchema);
    const YAML::Node config =
        YAML::Load("handler: orders_create\nsources:\n  - name: a\n  - name: b\n    timeout_ms: 5\n");
    Poco::AutoPtr<Poco::Util::MapConfiguration> flat(new Poco::Util::MapConfiguration);
    flat->setString("handler", "orders_create");
    flat->setString("sources[1].timeout_ms", "5");
    schema.addDefaults(config, *flat);
    EXPECT_EQ(flat->getInt("prefetch"), 5);
    EXPECT_EQ(flat->getInt("sources[0].timeout_ms"), 2000);
    EXPECT_EQ(flat->getInt("sources[1].timeout_ms"), 5);
}

TEST(PluginConfigSchema, ASchemaThatIsWrongIsRefusedSayingWhere) {
    const auto reason = [](const std::string& text) {
        try {
            PluginConfigSchema::parse(text);
        } catch (const std::invalid_argument& error) {
            return std::string(error.what());
        }
        return std::string("(accepted)");
    };
    EXPECT_EQ(reason("type: string\n"), "config schema: (root): the root must be type: object");
    EXPECT_EQ(reason("type: object\nproperties:\n  a: {type: integer}\n"),
              "config schema: properties.a: description is required");
    EXPECT_EQ(reason("type: object\nproperties:\n  a: {type: integer, description: x, default: many}\n"),
              "config schema: properties.a: default: expected an integer, got 'many'");
    EXPECT_EQ(reason("type: object\nrequired: [b]\nproperties: {}\n"),
              "config schema: (root): required names 'b', which is not among properties");
    EXPECT_EQ(reason("type: object\nproperties:\n  a: {type: integer, description: x, minimun: 1}\n"),
              "config schema: properties.a: unknown schema keyword 'minimun'");
    EXPECT_EQ(reason("type: object\nproperties:\n  a: {type: map, description: x}\n"),
              "config schema: properties.a: type 'map' is not one of object, string, integer, number, boolean, array");
}

}  // namespace
}  // namespace micro_order::host
