// The model's collations against PostgreSQL's: kLocale against ICU's root
// collation "und-x-icu", kC against "C", on many strings sorted by the server.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "conformance/cluster.h"
#include "conformance/pg_session.h"
#include "conformance/workload.h"
#include "model/collation.h"
#include "sim/prng.h"

namespace cdc::conformance {
namespace {

// A PostgreSQL array literal of the strings.
std::string array_literal(const std::vector<std::string>& strings) {
  std::string out = "{";
  for (size_t i = 0; i < strings.size(); ++i) {
    out += i ? ",\"" : "\"";
    for (char ch : strings[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "}";
}

std::vector<std::string> random_strings(const std::vector<std::string>& alphabet, size_t count,
                                        uint64_t seed) {
  sim::Prng prng(seed);
  std::set<std::string> out;
  for (const std::string& a : alphabet) {
    out.insert(a);
    for (const std::string& b : alphabet)
      out.insert(a + b);
  }
  for (size_t i = 0; i < count; ++i) {
    std::string s;
    const uint64_t n = prng.below(5);
    for (uint64_t k = 0; k < n; ++k)
      s += alphabet[prng.below(alphabet.size())];
    out.insert(s);
  }
  return {out.begin(), out.end()};
}

// The strings as the server orders them under `collation`.
std::vector<std::string> server_order(PgSession& s, const std::vector<std::string>& strings,
                                      const std::string& collation) {
  Result<PgRows> rows =
      s.query("SELECT x FROM unnest($1::text[]) AS x ORDER BY x COLLATE \"" + collation + "\"",
              {array_literal(strings)});
  EXPECT_TRUE(rows.is_ok()) << rows.error().message;
  std::vector<std::string> out;
  if (rows.is_ok()) {
    for (const PgRow& r : rows.value().rows)
      out.push_back(r.at(0).value_or(""));
  }
  return out;
}

// Adjacent pairs of the server's order that the model orders the other way.
std::vector<std::string> disagreements(const std::vector<std::string>& ordered, Collation c) {
  std::vector<std::string> out;
  for (size_t i = 0; i + 1 < ordered.size(); ++i) {
    if (collate_compare(c, ordered[i], ordered[i + 1]) < 0) continue;
    out.push_back("'" + ordered[i] + "' < '" + ordered[i + 1] + "'");
  }
  return out;
}

class CollationConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Cluster::start({});
    ASSERT_TRUE(c.is_ok()) << c.error().message;
    cluster_ = std::move(c).value();
    auto s = PgSession::connect(cluster_->conninfo("postgres"));
    ASSERT_TRUE(s.is_ok()) << s.error().message;
    session_ = std::move(s).value();
  }

  void expect_same_order(const std::vector<std::string>& strings) {
    for (const auto& [collation, model] :
         {std::pair<std::string, Collation>{"und-x-icu", Collation::kLocale},
          std::pair<std::string, Collation>{"C", Collation::kC}}) {
      const std::vector<std::string> ordered = server_order(*session_, strings, collation);
      ASSERT_EQ(ordered.size(), strings.size());
      const std::vector<std::string> d = disagreements(ordered, model);
      EXPECT_TRUE(d.empty()) << d.size() << " adjacent pairs of " << strings.size()
                             << " strings ordered otherwise by the model under " << collation
                             << ", e.g. PostgreSQL: " << d.front();
    }
  }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<PgSession> session_;
};

TEST_F(CollationConformanceTest, AgreesOnTheWorkloadKeyAlphabet) {
  expect_same_order(random_strings(kKeyAlphabet, 3000, 1));
}

// The documented alphabet of model/collation.h: printable ASCII and the
// Latin-1 letters with acute, grave, circumflex, ring, diaeresis, tilde or
// cedilla.
TEST_F(CollationConformanceTest, AgreesOnPrintableAsciiAndAccentedLatin1Letters) {
  std::vector<std::string> alphabet;
  for (char ch = 0x20; ch < 0x7f; ++ch)
    alphabet.emplace_back(1, ch);
  for (const char* l :
       {"à", "á", "â", "ã", "ä", "å", "ç", "è", "é", "ê", "ë", "ì", "í", "î", "ï", "ñ", "ò", "ó",
        "ô", "õ", "ö", "ù", "ú", "û", "ü", "ý", "ÿ", "À", "Á", "Â", "Ã", "Ä", "Å", "Ç", "È", "É",
        "Ê", "Ë", "Ì", "Í", "Î", "Ï", "Ñ", "Ò", "Ó", "Ô", "Õ", "Ö", "Ù", "Ú", "Û", "Ü", "Ý", "Ÿ"})
    alphabet.emplace_back(l);
  expect_same_order(random_strings(alphabet, 4000, 2));
}

// Outside that alphabet the model is knowingly different (collation.h).
TEST_F(CollationConformanceTest, DisagreesWhereDocumented) {
  const std::vector<std::string> ordered = server_order(*session_, {"æ", "b", "z"}, "und-x-icu");
  EXPECT_EQ(ordered, (std::vector<std::string>{"æ", "b", "z"}));
  EXPECT_GT(collate_compare(Collation::kLocale, "æ", "z"), 0);  // after z, by code point
}

}  // namespace
}  // namespace cdc::conformance
