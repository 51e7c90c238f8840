#include "harness/vm/qemu/qmp_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "harness/vm/qemu/tests/qmp_transcript.h"

namespace osh::vm::qemu {
namespace {

using Kind = QmpMessage::Kind;
using ::testing::HasSubstr;
using testing::load_transcript;
using namespace std::string_literals;

std::vector<QmpParsed> drain(QmpLineReader& reader) {
  std::vector<QmpParsed> out;
  while (auto parsed = reader.next()) out.push_back(std::move(*parsed));
  return out;
}

// The transcript's received lines as QEMU sends them: CR LF after each.
std::string received_stream() {
  std::string stream;
  for (const auto& line : load_transcript()) {
    if (line.from_qemu) stream += line.text + "\r\n";
  }
  return stream;
}

TEST(QmpReader, ClassifiesEveryLineOfTheRealQemuSession) {
  std::map<Kind, int> counts;
  int lines = 0;
  for (const auto& line : load_transcript()) {
    const QmpParsed parsed = parse_qmp_message(line.text);
    ASSERT_TRUE(parsed.message) << line.text << ": " << parsed.error;
    EXPECT_EQ(parsed.message->kind == Kind::Command, !line.from_qemu) << line.text;
    ++counts[parsed.message->kind];
    ++lines;
  }
  // Read off the transcript: 14 commands; 1 greeting, 5 events, 3 errors (ids 1, 9, 10) and
  // 11 returns (ids 2-8 and 11-14).
  EXPECT_EQ(lines, 34);
  EXPECT_EQ(counts[Kind::Command], 14);
  EXPECT_EQ(counts[Kind::Greeting], 1);
  EXPECT_EQ(counts[Kind::Event], 5);
  EXPECT_EQ(counts[Kind::Error], 3);
  EXPECT_EQ(counts[Kind::Return], 11);
}

TEST(QmpReader, ReadsTheGreetingVersion) {
  const QmpParsed parsed = parse_qmp_message(load_transcript().front().text);
  ASSERT_TRUE(parsed.message);
  const auto version = greeting_version(*parsed.message);
  ASSERT_TRUE(version);
  EXPECT_EQ(version->major, 7);
  EXPECT_EQ(version->minor, 2);
  EXPECT_EQ(version->micro, 22);
  EXPECT_EQ(version->text(), "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)");
  EXPECT_FALSE(greeting_version(*parse_qmp_message(R"({"QMP": {}})").message));
  EXPECT_FALSE(greeting_version(*parse_qmp_message(R"({"return": {}})").message));
}

TEST(QmpReader, ClassifiesEveryExampleOfQemusSchemaDocumentation) {
  std::ifstream in(std::string(OSH_VM_TEST_DATA) + "/qmp_examples_valid.jsonl");
  ASSERT_TRUE(in);
  const std::map<std::string, Kind> kinds = {{"event", Kind::Event},
                                             {"return", Kind::Return},
                                             {"error", Kind::Error},
                                             {"command", Kind::Command}};
  std::map<std::string, int> counts;
  std::string record_line;
  while (std::getline(in, record_line)) {
    const auto record = nlohmann::json::parse(record_line);
    const std::string kind = record["kind"];
    const std::string where =
        record["file"].get<std::string>() + ":" + std::to_string(record["line"].get<int>());
    // The documentation's text, pretty-printed over several lines, and the same message
    // compacted to one line as it would be on the wire.
    for (const std::string& text : {record["text"].get<std::string>(), record["json"].dump()}) {
      const QmpParsed parsed = parse_qmp_message(text);
      ASSERT_TRUE(parsed.message) << where << ": " << parsed.error;
      EXPECT_EQ(to_string(parsed.message->kind), to_string(kinds.at(kind))) << where;
      EXPECT_EQ(parsed.message->json, record["json"]) << where;
    }
    ++counts[kind];
  }
  EXPECT_EQ(counts["event"], 69);
  EXPECT_EQ(counts["return"], 183);
  EXPECT_EQ(counts["error"], 2);
  EXPECT_EQ(counts["command"], 194);
}

TEST(QmpReader, AnySplitOfTheStreamGivesTheSameMessages) {
  const std::string stream = received_stream();
  QmpLineReader whole;
  whole.feed(stream);
  const std::vector<QmpParsed> expected = drain(whole);
  ASSERT_EQ(expected.size(), 20u);
  for (size_t chunk = 1; chunk <= 64; ++chunk) {
    QmpLineReader reader;
    std::vector<QmpParsed> got;
    for (size_t pos = 0; pos < stream.size(); pos += chunk) {
      reader.feed(std::string_view(stream).substr(pos, chunk));
      for (auto& parsed : drain(reader)) got.push_back(std::move(parsed));
    }
    ASSERT_EQ(got.size(), expected.size()) << "chunk " << chunk;
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_TRUE(got[i].message);
      EXPECT_EQ(got[i].message->json, expected[i].message->json) << "chunk " << chunk;
    }
    EXPECT_EQ(reader.buffered(), 0u);
  }
}

TEST(QmpReader, ReportsGarbageLinesAndKeepsGoing) {
  QmpLineReader reader;
  reader.feed("not json\n[1,2]\n{\"foo\": 1}\n\x1b[2J\xff\x00\n"s);
  reader.feed("{\"error\": {\"class\": 1}}\n{\"event\": 5}\n{\"event\": \"X\", \"data\": 3}\n");
  reader.feed("\n  \r\n{\"return\": {}, \"id\": 7}\n");
  const auto results = drain(reader);
  ASSERT_EQ(results.size(), 8u);
  EXPECT_EQ(results[0].error, "QMP line 1: not valid JSON: not json");
  EXPECT_EQ(results[1].error, "QMP line 2: not a JSON object: [1,2]");
  EXPECT_EQ(results[2].error,
            "QMP line 3: no \"return\", \"error\", \"event\", \"execute\" or \"QMP\" member: "
            "{\"foo\": 1}");
  EXPECT_EQ(results[3].error, "QMP line 4: not valid JSON: \\x1b[2J\\xff\\x00");
  EXPECT_THAT(results[4].error, HasSubstr("error reply without string \"class\" and \"desc\""));
  EXPECT_THAT(results[5].error, HasSubstr("event whose name is not a string"));
  EXPECT_THAT(results[6].error, HasSubstr("event whose \"data\" is not an object"));
  ASSERT_TRUE(results[7].message) << "blank lines are skipped, the next message still parses";
  EXPECT_EQ(results[7].message->kind, Kind::Return);
  EXPECT_EQ(*results[7].message->id(), 7);
}

// Found by qmp_fuzz on its 100,000-deep seeds: QMP lines were parsed at any depth. Now they are
// bounded as every JSON osharness reads, and the next line still parses.
TEST(QmpReader, RefusesJsonNestedDeeperThanTheLimit) {
  QmpLineReader reader;
  const size_t depth = 100'000;
  reader.feed("{\"return\": " + std::string(depth, '[') + std::string(depth, ']') + "}\n");
  reader.feed("{\"return\": " + std::string(200, '[') + std::string(200, ']') + ", \"id\": 1}\n");
  const auto results = drain(reader);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_FALSE(results[0].message);
  EXPECT_THAT(results[0].error, HasSubstr("QMP line 1: not valid JSON: arrays and objects nested "
                                          "deeper than 256 levels"));
  ASSERT_TRUE(results[1].message) << results[1].error;
  EXPECT_EQ(*results[1].message->id(), 1);
}

TEST(QmpReader, DiscardsOverlongLinesAndResynchronisesAtTheNextLineFeed) {
  QmpLineReader reader(64);
  reader.feed("{\"return\": \"" + std::string(50, 'a'));
  reader.feed(std::string(50, 'a'));
  reader.feed(std::string(50, 'a') + "\"}\n{\"return\": 1, \"id\": 2}\n");
  const auto results = drain(reader);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_THAT(results[0].error, HasSubstr("QMP line 1: longer than 64 bytes, discarded"));
  ASSERT_TRUE(results[1].message);
  EXPECT_EQ(results[1].message->json["return"], 1);
}

TEST(QmpReader, FinishReportsAnUnterminatedLastLine) {
  QmpLineReader reader;
  reader.feed("{\"return\": {}}\n{\"retu");
  reader.finish();
  const auto results = drain(reader);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0].message);
  EXPECT_EQ(results[1].error, "QMP line 2: cut off by the end of the stream: {\"retu");
}

}  // namespace
}  // namespace osh::vm::qemu
