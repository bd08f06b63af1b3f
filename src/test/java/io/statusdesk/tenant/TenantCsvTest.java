package io.statusdesk.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TenantCsvTest {
  private static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");
  private static final TenantRules RULES =
      new TenantRules(
          PriceList.of(Plans.standard()), Set.of("email/kr-1", "email/kr-2", "ticketing/kr-1"));

  @Test
  void readsTenantsInAnyColumnOrderWithQuotedNames() {
    TenantCsv.Parsed p =
        TenantCsv.parse(
            """
            plan,id,name,members,status,cells
            earth,acme,"Acme, Inc.",12,current,email/kr-1;email/kr-2
            island,free-1,Free one,3,past_due,
            """,
            RULES,
            NOW);
    assertThat(p.errors()).isEmpty();
    assertThat(p.tenants())
        .containsExactly(
            new Tenant(
                "acme",
                "Acme, Inc.",
                "earth",
                12,
                TenantStatus.CURRENT,
                List.of("email/kr-1", "email/kr-2")),
            new Tenant("free-1", "Free one", "island", 3, TenantStatus.PAST_DUE, List.of()));
    assertThat(RULES.prices().feeKrw(p.tenants().get(0), NOW)).isEqualTo(468_000);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "id,name,plan,members,status,cells\\nacme,Acme,mars,1,current, | line 2: plan: one of",
        "id,name,plan,members,status,cells\\nacme,Acme,earth,-1,current, | line 2: members:",
        "id,name,plan,members,status,cells\\nacme,Acme,earth,ten,current, | line 2: members:",
        "id,name,plan,members,status,cells\\nacme,Acme,earth,1,active, | line 2: status:",
        "id,name,plan,members,status,cells\\nacme,Acme,earth,1,current,KR 1 | line 2: cells:",
        "id,name,plan,members,status,cells\\nacme,Acme,earth,1,current,kr-1 | line 2: cells:",
        "id,name,plan,members,status,cells\\n"
            + "acme,Acme,earth,1,current,sns/kr-9 | line 2: cells: no cell sns/kr-9",
        "id,name,plan,members,status,cells\\n"
            + "acme,Acme,earth,31,current, | line 2: members: plan earth allows at most 30",
        "id,name,plan,members,status,cells\\n"
            + "acme,Acme,island,4,current, | line 2: members: plan island allows at most 3",
        "id,name,plan,members,status,cells\\nac me,Acme,earth,1,current, | line 2: id:",
        "id,name,plan,members,status,cells\\n"
            + "a,A,earth,1,current,\\n"
            + "a,A,earth,1,current, | line 3: id: 'a' appears twice",
        "id,name,plan,members,status\\na,A,earth,1,current | line 1: the header must name exactly",
        "id,name,plan,members,status,cells | line 2: no tenants",
      })
  void reportsEveryBadLineAndAcceptsNone(String text, String error) {
    TenantCsv.Parsed p = TenantCsv.parse(text.replace("\\n", "\n"), RULES, NOW);
    assertThat(p.tenants()).isEmpty();
    assertThat(p.errors()).anySatisfy(e -> assertThat(e).startsWith(error));
  }
}
