"""Name material for the demo bank: people from many cultures and their countries' formats.

Plain data, no logic beyond small formatters: demo_gen draws from it with a seeded rng.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Culture:
    country: str  # ISO 3166 alpha-2
    phone_prefix: str  # E.164 country code
    currency: str  # the home currency a customer of this country most often holds
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    family_first: bool = False  # written "Family Given" (Chinese, Korean, Vietnamese)
    double_surname: bool = False  # Spanish and Portuguese style "Given Paternal Maternal"


def _t(words: str) -> tuple[str, ...]:
    return tuple(words.split())


CULTURES: tuple[Culture, ...] = (
    Culture("US", "1", "USD",
            _t("James John Robert Michael David William Richard Joseph Thomas Daniel Marcus "
               "Tyrone Brandon Kevin Ethan"),
            _t("Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Ashley "
               "Emily Madison Keisha Olivia"),
            _t("Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas "
               "Moore Jackson Martin Thompson White Harris Clark Lewis Walker")),
    Culture("GB", "44", "GBP",
            _t("Oliver George Harry Jack Charlie Alfie Oscar Arthur Henry Edward Callum Rhys"),
            _t("Amelia Isla Ava Mia Ivy Lily Florence Freya Poppy Grace Siobhan Eleanor"),
            _t("Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright "
               "Thompson Evans Walker Roberts Hughes O'Brien McDonald")),
    Culture("DE", "49", "EUR",
            _t("Lukas Leon Finn Jonas Paul Felix Maximilian Jürgen Stefan Matthias Uwe Klaus"),
            _t("Mia Emma Hannah Sophia Lea Anna Lena Jutta Sabine Ursula Katharina Jana"),
            _t("Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann "
               "Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Zimmermann Krüger")),
    Culture("FR", "33", "EUR",
            _t("Jean Pierre Michel Philippe Alain Nicolas Julien Hugo Louis Théo Mathieu Rémi"),
            _t("Marie Nathalie Isabelle Sylvie Camille Léa Chloé Manon Inès Émilie Céline Zoé"),
            _t("Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon "
               "Laurent Lefèvre Michel Garcia Fournier Girard Bonnet")),
    Culture("ES", "34", "EUR",
            _t("Antonio José Manuel Francisco David Javier Daniel Carlos Alejandro Sergio Íñigo"),
            _t("María Carmen Ana Isabel Laura Cristina Marta Lucía Elena Pilar Nuria Begoña"),
            _t("García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín "
               "Jiménez Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero"),
            double_surname=True),
    Culture("MX", "52", "USD",
            _t("Juan José Luis Miguel Jesús Alejandro Fernando Ricardo Eduardo Arturo"),
            _t("Guadalupe María Verónica Rosa Leticia Alejandra Adriana Gabriela Araceli"),
            _t("Hernández García Martínez López González Rodríguez Pérez Sánchez Ramírez Cruz "
               "Flores Gómez Morales Vázquez Reyes"),
            double_surname=True),
    Culture("BR", "55", "USD",
            _t("João Pedro Lucas Gabriel Matheus Rafael Gustavo Thiago Felipe Bruno"),
            _t("Ana Maria Juliana Fernanda Camila Beatriz Larissa Letícia Gabriela Vitória"),
            _t("Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa "
               "Ribeiro Martins Carvalho Araújo"),
            double_surname=True),
    Culture("BH", "973", "BHD",
            _t("Mohammed Ahmed Ali Hassan Hussain Abdulla Khalid Yusuf Ebrahim Salman Faisal"),
            _t("Fatima Maryam Zainab Noora Aisha Sara Latifa Huda Amina Reem Dana"),
            _t("Al-Khalifa Al-Mahmood Al-Sayed Al-Doseri Al-Jalahma Al-Zayani Kanoo Fakhro "
               "Al-Ansari Al-Shirawi Bukhammas Al-Aradi Janahi")),
    Culture("AE", "971", "USD",
            _t("Mohammed Rashid Saeed Sultan Hamdan Omar Majid Obaid Saif Zayed"),
            _t("Mariam Shamma Hessa Mozah Alya Meera Salama Latifa Noura Fatima"),
            _t("Al-Maktoum Al-Nahyan Al-Falasi Al-Mansoori Al-Suwaidi Al-Ketbi Al-Shamsi "
               "Al-Mazrouei Al-Hashemi Al-Qasimi")),
    Culture("EG", "20", "USD",
            _t("Mohamed Ahmed Mahmoud Mostafa Karim Omar Youssef Amr Tarek Sherif"),
            _t("Nour Yasmin Mona Heba Dina Rania Salma Mariam Aya Shaimaa"),
            _t("Hassan Ibrahim Mahmoud Abdelrahman Saleh Mansour Farouk Naguib Shawky Soliman")),
    Culture("IN", "91", "USD",
            _t("Aarav Vihaan Arjun Rahul Amit Rajesh Suresh Vikram Anil Sanjay Karthik Rohan"),
            _t("Priya Ananya Aditi Kavya Pooja Neha Sunita Lakshmi Deepa Meera Divya Ishita"),
            _t("Sharma Verma Patel Gupta Singh Kumar Reddy Iyer Nair Menon Rao Joshi Chatterjee "
               "Banerjee Mehta Desai Pillai Kapoor")),
    Culture("CN", "86", "USD",
            _t("Wei Jun Hao Lei Jie Tao Ming Qiang Yong Chen Bo Xiang"),
            _t("Fang Xiu Ying Na Li Min Jing Yan Hui Xiaomei Lan Ting"),
            _t("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He"),
            family_first=True),
    Culture("JP", "81", "JPY",
            _t("Hiroshi Takashi Kenji Daiki Haruto Sota Yuto Kazuki Shota Ren Takumi Kaito"),
            _t("Yuki Sakura Aoi Hina Yui Haruka Naomi Keiko Misaki Emi Rin Akiko"),
            _t("Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato "
               "Yoshida Yamada Sasaki Yamaguchi Matsumoto Inoue")),
    Culture("KR", "82", "USD",
            _t("Min-jun Seo-jun Ji-ho Do-yun Jun-seo Hyun-woo Sung-min Dong-hyun"),
            _t("Seo-yeon Ji-woo Ha-eun Min-seo Soo-ah Ji-yoon Eun-ji Hye-jin"),
            _t("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin"),
            family_first=True),
    Culture("VN", "84", "USD",
            _t("Văn-Anh Minh Tuấn Hùng Dũng Quang Huy Thành Long Phúc"),
            _t("Thị-Lan Hương Linh Mai Ngọc Trang Thảo Hà Phương Yến"),
            _t("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ"),
            family_first=True),
    Culture("NG", "234", "USD",
            _t("Chinedu Emeka Oluwaseun Tunde Ifeanyi Babajide Chukwuemeka Femi Obinna Segun"),
            _t("Ngozi Chiamaka Funmilayo Adaeze Yetunde Oluchi Temitope Amaka Folake Nneka"),
            _t("Okafor Adeyemi Okonkwo Balogun Eze Nwosu Adebayo Ogunleye Chukwu Afolabi "
               "Obi Ibrahim")),
    Culture("TR", "90", "EUR",
            _t("Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim Emre Burak Çağan Oğuz"),
            _t("Ayşe Fatma Emine Hatice Zeynep Elif Özlem Gül Şule Büşra Derya"),
            _t("Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan "
               "Doğan Kılıç Aslan Çetin")),
    Culture("PL", "48", "EUR",
            _t("Piotr Krzysztof Andrzej Tomasz Paweł Michał Marcin Jakub Łukasz Grzegorz"),
            _t("Anna Katarzyna Małgorzata Agnieszka Barbara Ewa Magdalena Joanna Zofia Alicja"),
            _t("Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński "
               "Szymański Woźniak Dąbrowski Kozłowski")),
    Culture("RU", "7", "USD",
            _t("Aleksandr Sergey Dmitry Andrey Alexey Maxim Ivan Mikhail Nikolai Vladimir"),
            _t("Elena Olga Natalia Tatiana Irina Svetlana Anastasia Ekaterina Maria Yulia"),
            _t("Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov "
               "Fedorov Morozov Volkov")),
    Culture("CH", "41", "CHF",
            _t("Luca Noah Leon Matteo Elias Gian Reto Urs Beat Marco"),
            _t("Mia Lina Elena Laura Anna Nadine Corinne Franziska Seraina Chiara"),
            _t("Müller Meier Schmid Keller Weber Huber Schneider Meyer Steiner Fischer Gerber "
               "Brunner Baumann Frei Zürcher")),
    Culture("SE", "46", "EUR",
            _t("Lars Anders Johan Erik Karl Nils Björn Magnus Sven Gustav"),
            _t("Anna Eva Maria Karin Kristina Lena Ingrid Sofia Åsa Linnéa"),
            _t("Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson "
               "Svensson Gustafsson Lindström Söderberg")),
)

# Weight of each culture among customers (same order as CULTURES): a Gulf and
# international bank with many US/European clients.
CULTURE_WEIGHTS: tuple[int, ...] = (
    18, 10, 7, 6, 6, 4, 4, 9, 4, 3, 7, 4, 4, 2, 2, 3, 3, 2, 2, 2, 1,
)

ORG_WORDS = _t(
    "Atlas Meridian Pioneer Summit Harbor Crescent Falcon Cedar Pearl Oasis Orion Horizon "
    "Granite Silverline Bluewater Northstar Evergreen Sunrise Golden Dune Coral Aurora Vertex "
    "Keystone Lotus Sakura Andes Danube Nile Baltic Sahara Zenith Apex Nimbus Sterling")
ORG_TRADES = _t(
    "Trading Logistics Holdings Construction Textiles Foods Pharma Shipping Energy Systems "
    "Imports Engineering Consulting Properties Hospitality Electronics Motors Agritech "
    "Software Fisheries Jewellers Printing Medical Aviation")
ORG_SUFFIX = {
    "US": "LLC", "GB": "Ltd", "DE": "GmbH", "FR": "SARL", "ES": "S.L.", "MX": "S.A. de C.V.",
    "BR": "Ltda", "BH": "W.L.L.", "AE": "FZE", "EG": "S.A.E.", "IN": "Pvt Ltd", "CN": "Co., Ltd",
    "JP": "K.K.", "KR": "Co., Ltd", "VN": "JSC", "NG": "Plc", "TR": "A.Ş.", "PL": "Sp. z o.o.",
    "RU": "OOO", "CH": "AG", "SE": "AB",
}


def national_id(country: str, n: int) -> str:
    """A national identifier in the country's usual shape, unique for each n below 10**9."""
    d9 = f"{(n * 387_420_489 + 123_456_789) % 10**9:09d}"  # 3**18 is coprime with 10**9
    letters = "ABCEGHJKLMNPRSTWXYZ"
    if country == "US":
        return f"{d9[:3]}-{d9[3:5]}-{d9[5:]}"
    if country == "GB":
        return f"{letters[n % 19]}{letters[(n // 19) % 19]}{d9[3:]}{'ABCD'[n % 4]}"
    if country == "CN":
        return f"110101{d9}{n % 100:02d}X"
    if country == "IN":
        return f"{d9[:4]} {d9[4:8]} {d9[8]}{n % 1000:03d}"
    if country in ("BH", "AE", "EG"):
        return f"{country}{d9}"
    if country == "JP":
        return f"{d9}{n % 1000:03d}"
    return f"{country}-{d9}"


def phone(culture: Culture, n: int) -> str:
    """An E.164 number, unique for each n below 10**9."""
    return f"+{culture.phone_prefix}{(n * 654_435_761 + 200_000_000) % 10**9 + 10**9:010d}"
