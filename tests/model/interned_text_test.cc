// InternedText: equal texts share one pool entry, and it reads like the
// string it stands for.
#include "model/interned_text.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace cdc {
namespace {

TEST(InternedTextTest, EqualTextsShareOneEntry) {
  const std::string built = std::string("items") + ".v" + std::to_string(2);
  const InternedText a = built;
  const InternedText b = "items.v2";
  EXPECT_EQ(&a.str(), &b.str());
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == InternedText("items.v3"));
  EXPECT_EQ(&InternedText("").str(), &InternedText().str());
  EXPECT_TRUE(InternedText().empty());
}

TEST(InternedTextTest, ReadsLikeItsString) {
  const InternedText t = "accounts.v0";
  EXPECT_TRUE(t == std::string("accounts.v0"));
  EXPECT_TRUE(t == "accounts.v0");
  EXPECT_FALSE(t == "accounts.v1");
  EXPECT_EQ(t.size(), 11u);
  EXPECT_EQ("state " + t, "state accounts.v0");
  EXPECT_EQ(t + "!", "accounts.v0!");
  const std::string& s = t;
  EXPECT_EQ(s, "accounts.v0");
  std::ostringstream out;
  out << t;
  EXPECT_EQ(out.str(), "accounts.v0");
}

TEST(InternedTextTest, OrdersByBytesNotByAddress) {
  // Interned in the opposite order to their bytes.
  const InternedText z = "zz.order-test", a = "aa.order-test";
  EXPECT_TRUE(a < z);
  EXPECT_FALSE(z < a);
  EXPECT_FALSE(a < a);
}

TEST(InternedTextTest, ThreadsInterningOneTextGetOneEntry) {
  std::vector<const std::string*> seen(4, nullptr);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&seen, i] {
      for (int n = 0; n < 1000; ++n)
        seen[i] = &InternedText("threads.v" + std::to_string(n)).str();
    });
  }
  for (std::thread& t : threads)
    t.join();
  for (const std::string* s : seen)
    EXPECT_EQ(s, seen.front());
}

}  // namespace
}  // namespace cdc
